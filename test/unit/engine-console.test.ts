import { describe, expect, it } from "vitest";
import {
  ConsoleCapture,
  captureLogger,
} from "../../src/engine/console-capture.ts";
import type { ConsoleLine } from "../../src/engine/protocol.ts";

function capture() {
  const lines: ConsoleLine[] = [];
  const c = new ConsoleCapture(
    () => 42,
    (batch) => lines.push(...batch),
  );
  return { c, lines };
}

const a = { taskId: "t1", attempt: 1, workerId: "p1:w-1" };
const b = { taskId: "t2", attempt: 2, workerId: "p1:w-1" };

describe("ConsoleCapture", () => {
  it("ties a console line to the attempt being called", () => {
    const { c, lines } = capture();
    c.running.add(a).add(b);
    c.current = b;
    c.write("info", "hello");
    c.flush();
    expect(lines).toEqual([{ at: 42, level: "info", text: "hello", ...b }]);
  });

  it("ties a line to the only running attempt, and to none among several", () => {
    const { c, lines } = capture();
    c.running.add(a);
    c.write("warn", "one");
    c.running.add(b);
    c.write("warn", "two");
    c.flush();
    expect(lines.map((l) => l.taskId)).toEqual(["t1", null]);
  });

  it("ties task.log lines to their task even among several attempts", () => {
    const { c, lines } = capture();
    c.running.add(a).add(b);
    const log = captureLogger(c).child({ worker: "p1:w-1", taskId: "t2" });
    log.info("sent", { to: "x@example.test" });
    log.debug("not shown");
    c.flush();
    expect(lines).toEqual([
      { at: 42, level: "info", text: 'sent {"to":"x@example.test"}', ...b },
    ]);
  });

  it("drops lines past its limit and says how many", () => {
    const { c, lines } = capture();
    for (let i = 0; i < 510; i++) c.write("info", `line ${i}`);
    c.flush();
    expect(lines).toHaveLength(501);
    expect(lines.at(-1)?.text).toMatch(/^10 console lines dropped/);
  });
});
