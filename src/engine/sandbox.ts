/**
 * One sandboxed "machine": an `<iframe sandbox="allow-scripts">` whose
 * document has an opaque origin (`null`), so nothing in it can read the
 * page's storage, reach `parent`'s DOM or navigate the page. Its only
 * job is to turn the handler worker's source into a `blob:` URL of its
 * own and start the worker with the ports the page hands it. Ending the
 * sandbox removes the iframe, which ends its worker even if the worker
 * is stuck in a loop that never yields.
 */
import type { SandboxCommand } from "./protocol.ts";

/**
 * The iframe's whole program. It listens only to its parent, and posts
 * back one "sandbox-ready" (and "worker-error" if the worker dies).
 */
const BOOT = `
let worker = null;
addEventListener("message", (event) => {
  if (event.source !== parent) return;
  const command = event.data;
  if (command && command.type === "boot" && !worker) {
    const url = URL.createObjectURL(new Blob([command.source], { type: "text/javascript" }));
    worker = new Worker(url, { name: command.name });
    worker.onerror = (e) => parent.postMessage({ type: "worker-error", message: String(e.message || "the worker failed") }, "*");
    worker.postMessage(command.init, event.ports);
  } else if (command && command.type === "terminate" && worker) {
    worker.terminate();
  }
});
parent.postMessage({ type: "sandbox-ready" }, "*");
`;

/** A started sandbox. */
export interface Sandbox {
  readonly iframe: HTMLIFrameElement;
  /** Terminates the worker and removes the iframe. */
  end(): void;
}

/**
 * Creates the iframe, waits until its program listens, and boots the
 * handler worker from `source`, transferring `ports` to it.
 * `onWorkerError` hears a worker that died on its own (a crash).
 */
export function startSandbox(options: {
  readonly name: string;
  readonly source: string;
  readonly init: { readonly type: "init"; readonly queue: string };
  readonly ports: MessagePort[];
  readonly onWorkerError: (message: string) => void;
  readonly container?: HTMLElement;
}): Promise<Sandbox> {
  const iframe = document.createElement("iframe");
  iframe.setAttribute("sandbox", "allow-scripts");
  iframe.setAttribute("aria-hidden", "true");
  iframe.dataset.sandbox = options.name;
  iframe.style.display = "none";
  iframe.srcdoc = `<!doctype html><meta charset="utf-8"><script>${BOOT}</script>`;
  let listening = true;
  const end = () => {
    window.removeEventListener("message", onMessage);
    listening = false;
    post({ type: "terminate" });
    iframe.remove();
  };
  const post = (
    command: SandboxCommand & Record<string, unknown>,
    transfer: Transferable[] = [],
  ) => {
    // The iframe's origin is opaque, so "*" is the only target origin
    // that reaches it; what is sent is code and ports, no secrets.
    iframe.contentWindow?.postMessage(command, "*", transfer);
  };
  let ready!: () => void;
  const booted = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const onMessage = (event: MessageEvent) => {
    if (!listening || event.source !== iframe.contentWindow) return;
    const type = (event.data as { type?: unknown } | null)?.type;
    if (type === "sandbox-ready") ready();
    else if (type === "worker-error") {
      options.onWorkerError(
        String((event.data as { message?: unknown }).message),
      );
    }
  };
  window.addEventListener("message", onMessage);
  (options.container ?? document.body).appendChild(iframe);
  return booted.then(() => {
    post(
      {
        type: "boot",
        source: options.source,
        name: options.name,
        init: options.init,
      },
      options.ports,
    );
    return { iframe, end };
  });
}
