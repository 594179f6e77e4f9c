import { describe, expect, it, vi } from "vitest";
import { InvalidTaskError } from "../../../src/runtime/errors.ts";
import { MAX_DELAY_MS } from "../../../src/runtime/validate.ts";
import type { Fixture } from "../../support/contract.ts";

const DAY = 86_400_000;

/** Push, the reads, events and wake-ups. */
export function pushContract(fx: () => Fixture) {
  describe("push and read back", () => {
    it("stores a task as Pending with the default context", async () => {
      const { storage, clock, queue } = fx();
      const id = await storage.push({ to: "a@b.c" });
      expect(await storage.get(id)).toEqual({
        id,
        queue,
        args: { to: "a@b.c" },
        status: "Pending",
        attempts: 0,
        context: {
          runAt: clock.now(),
          maxAttempts: 25,
          lastError: null,
          lockAt: null,
          lockBy: null,
          doneAt: null,
          priority: 0,
        },
        createdAt: clock.now(),
      });
      expect(await storage.attempts(id)).toEqual([]);
    });

    it("stores priority, max attempts and a delay as given", async () => {
      const { storage, clock } = fx();
      const id = await storage.push(1, {
        priority: -7,
        maxAttempts: 3,
        delayMs: 1500,
      });
      expect((await storage.get(id))?.context).toMatchObject({
        priority: -7,
        maxAttempts: 3,
        runAt: clock.now() + 1500,
      });
    });

    it("keeps a run time 30 days ahead and a 2^31 ms delay exactly (F11)", async () => {
      const { storage, clock } = fx();
      const runAt = clock.now() + 30 * DAY;
      const far = await storage.push("far", { runAt });
      const long = await storage.push("long", { delayMs: 2 ** 31 });
      expect((await storage.get(far))?.context.runAt).toBe(runAt);
      expect((await storage.get(long))?.context.runAt).toBe(
        clock.now() + 2 ** 31,
      );
      expect(await storage.nextRunAt()).toBe(clock.now() + 2 ** 31);
    });

    it("round-trips JSON args exactly, odd keys and text included", async () => {
      const { storage } = fx();
      const args = JSON.parse(
        '{"__proto__":{"x":1},"":"empty key","emoji":"a😀b","accents":"éà","nested":[[],{},[null,true,false]],"big":9007199254740991,"tiny":1e-300,"neg":-2.5,"quote":"\\"\\\\\\n"}',
      );
      const id = await storage.push(args);
      const stored = await storage.get(id);
      expect(stored?.args).toEqual(args);
      expect(Object.keys(stored?.args as object)).toContain("__proto__");
      const [task] = await storage.claim(await fx().worker(), 1);
      expect(task?.args).toEqual(args);
    });

    it("stores a copy: changing the pushed object later changes nothing", async () => {
      const { storage } = fx();
      const args = { to: ["a@b.c"], meta: { tries: 1 } };
      const id = await storage.push(args);
      args.to.push("x@y.z");
      args.meta.tries = 99;
      expect((await storage.get(id))?.args).toEqual({
        to: ["a@b.c"],
        meta: { tries: 1 },
      });
    });

    it("hands out records whose changes never reach the stored task", async () => {
      const { storage } = fx();
      const id = await storage.push({ n: 1 });
      const record = (await storage.get(id)) as unknown as {
        args: { n: number };
        status: string;
      };
      try {
        record.args.n = 2;
        record.status = "Done";
      } catch {
        // A frozen record refuses the write; that is fine too.
      }
      const again = await storage.get(id);
      expect(again?.args).toEqual({ n: 1 });
      expect(again?.status).toBe("Pending");
    });

    it("returns null and no attempts for an unknown task", async () => {
      const { storage } = fx();
      expect(await storage.get("01ARZ3NDEKTSV4RRFFQ69G5FAV")).toBeNull();
      expect(await storage.attempts("01ARZ3NDEKTSV4RRFFQ69G5FAV")).toEqual([]);
    });

    it("pushes many in order with distinct, sortable ids", async () => {
      const { storage } = fx();
      const ids = await storage.pushMany(
        Array.from({ length: 50 }, (_, i) => ({ args: { i } })),
      );
      expect(new Set(ids).size).toBe(50);
      expect([...ids].sort()).toEqual(ids);
      expect((await storage.get(ids[49] as string))?.args).toEqual({ i: 49 });
      expect(await storage.pushMany([])).toEqual([]);
    });

    it("counts tasks by status for its own queue", async () => {
      const { storage } = fx();
      expect(await storage.counts()).toEqual({
        Pending: 0,
        Running: 0,
        Done: 0,
        Failed: 0,
        Killed: 0,
      });
      await storage.pushMany([{ args: 1 }, { args: 2 }, { args: 3 }]);
      await storage.claim(await fx().worker(), 1);
      expect(await storage.counts()).toMatchObject({ Pending: 2, Running: 1 });
    });

    it("emits task:pushed with the stored run time and priority", async () => {
      const { storage, clock, queue } = fx();
      const seen = vi.fn();
      const off = storage.events.on("task:pushed", seen);
      const id = await storage.push(1, { priority: 3, delayMs: 10 });
      off();
      expect(seen).toHaveBeenCalledWith(
        expect.objectContaining({
          type: "task:pushed",
          taskId: id,
          queue,
          runAt: clock.now() + 10,
          priority: 3,
        }),
      );
    });

    it("wakes subscribers on push, and no longer after unsubscribe", async () => {
      const { storage } = fx();
      const gone = vi.fn();
      const kept = vi.fn();
      const unsubscribe = await storage.subscribe(gone);
      const keep = await storage.subscribe(kept);
      await storage.push(1);
      await vi.waitFor(() => expect(gone).toHaveBeenCalled());
      await unsubscribe();
      gone.mockClear();
      kept.mockClear();
      await storage.push(2);
      await vi.waitFor(() => expect(kept).toHaveBeenCalled());
      expect(gone).not.toHaveBeenCalled();
      await keep();
    });
  });

  describe("push refuses what it cannot store, and stores nothing", () => {
    it.each([
      ["a Date", { to: [1, 2, { when: new Date(0) }] }, {}, "args.to[2].when"],
      ["a NUL between two letters (F13)", { s: "a\u0000b" }, {}, "args.s"],
      ["a lone surrogate (F13)", { s: ["ok", "a\uD800b"] }, {}, "args.s[1]"],
      ["a function", { f: () => 1 }, {}, "args.f"],
      ["max attempts 0", 1, { maxAttempts: 0 }, "options.maxAttempts"],
      ["a fractional priority", 1, { priority: 1.5 }, "options.priority"],
      ["a priority past int32", 1, { priority: 2 ** 31 }, "options.priority"],
      ["a negative delay", 1, { delayMs: -1 }, "options.delayMs"],
      ["a NaN run time", 1, { runAt: Number.NaN }, "options.runAt"],
      [
        "a delay past the maximum (F11)",
        1,
        { delayMs: MAX_DELAY_MS + 1 },
        "options.delayMs",
      ],
      [
        "a run time past JS dates (F11)",
        1,
        { runAt: 8.64e15 + 1 },
        "options.runAt",
      ],
      ["runAt with delayMs", 1, { runAt: 0, delayMs: 1 }, "options.delayMs"],
    ])("%s", async (_name, args, options, field) => {
      const { storage } = fx();
      const error = await storage.push(args, options).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidTaskError);
      expect(error.field).toBe(field);
      expect(error.message).toContain(field);
      expect(await storage.nextRunAt()).toBeNull();
      expect((await storage.counts()).Pending).toBe(0);
    });

    it("refuses a whole batch when one task in it is bad", async () => {
      const { storage } = fx();
      const error = await storage
        .pushMany([{ args: 1 }, { args: { s: "a\u0000b" } }, { args: 3 }])
        .catch((e) => e);
      expect(error).toBeInstanceOf(InvalidTaskError);
      expect((await storage.counts()).Pending).toBe(0);
    });
  });
}
