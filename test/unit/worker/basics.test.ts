import { describe, expect, it } from "vitest";
import {
  ContextReadOnlyError,
  handler,
  MAX_ERROR_CHARS,
  MissingStateError,
  type StoredContext,
  stateKey,
  type TaskInput,
  WorkerBuilder,
} from "../../../src/runtime/index.ts";
import { memorySetup, startWorker } from "../../support/worker-cases/setup.ts";

interface Email {
  to: string;
}

describe("worker basics", () => {
  it("runs a task to Done and hands the handler its args and parts", async () => {
    const { clock, storage, of } = await memorySetup<Email>();
    const id = await storage.push({ to: "ada@example.com" }, { priority: 7 });
    const seen: { args: Email; task: TaskInput }[] = [];
    await startWorker(
      new WorkerBuilder("email").backend(storage).build((args, task) => {
        seen.push({ args, task });
      }),
    );
    await clock.runUntil(() => of("task:succeeded").length === 1);
    expect(seen).toHaveLength(1);
    const [{ args, task }] = seen as [(typeof seen)[0]];
    expect(args).toEqual({ to: "ada@example.com" });
    expect(task.taskId).toBe(id);
    expect(task.attempt).toBe(1);
    expect(task.context.priority).toBe(7);
    expect(task.context.maxAttempts).toBe(25);
    expect((await storage.get(id))?.status).toBe("Done");
  });

  it("passes the same state object to every task, never a copy", async () => {
    const { clock, storage, of } = await memorySetup<Email>();
    const Metrics = stateKey<{ sent: string[] }>("metrics");
    const metrics = { sent: [] as string[] };
    const seen = new Set<object>();
    const send = handler(
      { needs: { metrics: Metrics } },
      (email: Email, _task, state) => {
        seen.add(state.metrics);
        state.metrics.sent.push(email.to);
      },
    );
    await storage.pushMany([{ args: { to: "a" } }, { args: { to: "b" } }]);
    await startWorker(
      new WorkerBuilder("email")
        .backend(storage)
        .data(Metrics, metrics)
        .concurrency(2)
        .build(send),
    );
    await clock.runUntil(() => of("task:succeeded").length === 2);
    expect([...seen]).toEqual([metrics]);
    expect(metrics.sent.sort()).toEqual(["a", "b"]);
  });

  it("refuses to build a worker that lacks state its handler needs, naming it", async () => {
    const { storage } = await memorySetup<Email>();
    const Mailer = stateKey<{ send(): void }>("Mailer");
    const send = handler({ needs: { mailer: Mailer } }, () => {});
    const build = () =>
      new WorkerBuilder("email")
        .backend(storage)
        // @ts-expect-error the worker has no Mailer: a compile error too
        .build(send);
    expect(build).toThrow(MissingStateError);
    expect(build).toThrow(
      /needs shared state "Mailer".*\.data\(Mailer, value\)/,
    );
  });

  it("fails the attempt of a handler that writes to its context", async () => {
    const { clock, storage, of } = await memorySetup<Email>();
    const id = await storage.push({ to: "x" }, { maxAttempts: 1 });
    await startWorker(
      new WorkerBuilder("email").backend(storage).build((_args, task) => {
        (task.context as { priority: number }).priority = 99;
      }),
    );
    await clock.runUntil(() => of("task:killed").length === 1);
    const row = await storage.get(id);
    expect(row?.status).toBe("Killed");
    expect(row?.context.priority).toBe(0);
    expect(row?.context.lastError).toMatch(
      new ContextReadOnlyError("priority").message,
    );
  });

  it.each([
    ["an Error", () => new Error("smtp down"), "Error: smtp down"],
    ["a TypeError", () => new TypeError("no to"), "TypeError: no to"],
    ["a string", () => "plain string", "plain string"],
    ["undefined", () => undefined, "handler threw undefined"],
    ["an object", () => ({ code: 42 }), 'handler threw {"code":42}'],
    ["a cyclic object", cyclic, 'handler threw {"self":[Circular]}'],
  ])(
    "records %s thrown by a handler as a readable error and keeps going",
    async (_, make, text) => {
      const { clock, storage, of } = await memorySetup<Email>();
      const bad = await storage.push({ to: "bad" }, { maxAttempts: 1 });
      const good = await storage.push({ to: "good" });
      await startWorker(
        new WorkerBuilder("email").backend(storage).build((email: Email) => {
          if (email.to === "bad") throw make();
        }),
      );
      await clock.runUntil(() => of("task:succeeded").length === 1);
      await clock.runUntil(() => of("task:killed").length === 1);
      expect((await storage.get(bad))?.context.lastError).toBe(text);
      expect((await storage.get(good))?.status).toBe("Done");
    },
  );

  it("stores a 5 MB error message cut to MAX_ERROR_CHARS, saying so", async () => {
    const { clock, storage, of } = await memorySetup<Email>();
    const id = await storage.push({ to: "x" }, { maxAttempts: 1 });
    await startWorker(
      new WorkerBuilder("email").backend(storage).build(() => {
        throw new Error("x".repeat(5_000_000));
      }),
    );
    await clock.runUntil(() => of("task:killed").length === 1);
    const lastError = (await storage.get(id))?.context.lastError ?? "";
    expect(lastError).toHaveLength(MAX_ERROR_CHARS);
    expect(lastError).toMatch(/^Error: xxx/);
    expect(lastError).toMatch(/… \[truncated 4,996,0\d\d characters\]$/);
    expect((await storage.attempts(id))[0]?.error).toBe(lastError);
    expect(of("task:failed")[0]?.error).toBe(lastError);
  });

  it("claims larger priorities first", async () => {
    const { clock, storage, of } = await memorySetup<{ n: number }>();
    for (const priority of [1, 9, 5, -3]) {
      await storage.push({ n: priority }, { priority });
    }
    const order: number[] = [];
    await startWorker(
      new WorkerBuilder("p").backend(storage).build((args) => {
        order.push(args.n);
      }),
    );
    await clock.runUntil(() => of("task:succeeded").length === 4);
    expect(order).toEqual([9, 5, 1, -3]);
  });

  it("keeps running when an event listener throws", async () => {
    const { clock, storage, of } = await memorySetup<Email>();
    storage.events.onAny(() => {
      throw new Error("broken dashboard");
    });
    await storage.pushMany([{ args: { to: "a" } }, { args: { to: "b" } }]);
    await startWorker(
      new WorkerBuilder("email").backend(storage).build(() => {}),
    );
    await clock.runUntil(() => of("task:succeeded").length === 2);
    expect((await storage.counts()).Done).toBe(2);
  });

  it("types the context by backend", async () => {
    const { storage } = await memorySetup<Email>();
    new WorkerBuilder("email").backend(storage).build((_email, task) => {
      const context: StoredContext = task.context;
      // @ts-expect-error the context is read-only in types too
      task.context.priority = 1;
      return context;
    });
  });

  it("does not spin while a due task is locked by another worker", async () => {
    const { clock, storage } = await memorySetup<Email>();
    await storage.push({ to: "x" });
    await storage.registerWorker({ id: "other", name: "other", queue: "test" });
    await storage.claim("other", 1);
    let claims = 0;
    const counted = new Proxy(storage, {
      get(target, property) {
        if (property === "claim") {
          return (id: string, n: number) => {
            claims++;
            return target.claim(id, n);
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    await startWorker(
      new WorkerBuilder("idle").backend(counted).build(() => {}),
    );
    await clock.advance(1_000);
    expect(claims).toBeGreaterThan(0);
    expect(claims).toBeLessThanOrEqual(101);
  });
});

function cyclic(): object {
  const thrown: Record<string, unknown> = {};
  thrown.self = thrown;
  return thrown;
}
