/**
 * Resolves on the next turn of the event loop, after pending promise
 * callbacks have run: the point where work that finished "together"
 * can be handled together (one claim, one batched finish).
 */
export function nextTurn(): Promise<void> {
  if (typeof setImmediate === "function") {
    return new Promise((resolve) => setImmediate(resolve));
  }
  // setTimeout(0) is clamped to 4 ms when nested; a message is not.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
