import { act, cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { PushControls } from "../../src/app/controls/PushControls.tsx";
import { WorkerControls } from "../../src/app/controls/WorkerControls.tsx";
import { parseWhole } from "../../src/app/controls/wholeNumber.ts";
import { renderView } from "./render.tsx";

afterEach(cleanup);

const running = [{ type: "engine:state", at: 0, state: "running" } as const];
const input = (name: string) => screen.getByLabelText(name) as HTMLInputElement;
const type = (name: string, value: string) =>
  fireEvent.change(input(name), { target: { value } });
const pushButton = () => screen.getByTestId("push-button") as HTMLButtonElement;

describe("number field", () => {
  it("can be cleared and retyped without snapping back", () => {
    const { store } = renderView(<PushControls />, running);
    type("Count", "");
    expect(input("Count").value).toBe("");
    type("Count", "3");
    expect(input("Count").value).toBe("3");
    expect(store.getState().settings.push.count).toBe(3);
  });

  it("keeps a half-typed negative number, then commits it", () => {
    const { store } = renderView(<PushControls />, running);
    type("Priority", "-");
    expect(input("Priority").value).toBe("-");
    type("Priority", "-5");
    expect(input("Priority").value).toBe("-5");
    expect(store.getState().settings.push.priority).toBe(-5);
  });

  it("refuses a fraction for count, says why and disables Push", () => {
    const { store } = renderView(<PushControls />, running);
    type("Count", "2.5");
    expect(input("Count").value).toBe("2.5");
    expect(input("Count").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("whole number from 1 to 100000")).toBeTruthy();
    expect(store.getState().settings.push.count).toBe(12);
    expect(pushButton().disabled).toBe(true);
    expect(pushButton().textContent).toBe("Push 12");
  });

  it("refuses a fractional priority before anything is pushed", () => {
    const { store } = renderView(<PushControls />, running);
    type("Priority", "1.5");
    expect(store.getState().settings.push.priority).toBe(0);
    expect(pushButton().disabled).toBe(true);
    expect(pushButton().title).toMatch(/^Priority takes a whole number/);
  });

  it("takes counts up to the engine's limit of 100000, not beyond", () => {
    const { store } = renderView(<PushControls />, running);
    type("Count", "100000");
    expect(store.getState().settings.push.count).toBe(100_000);
    expect(pushButton().disabled).toBe(false);
    type("Count", "100001");
    expect(store.getState().settings.push.count).toBe(100_000);
    expect(pushButton().disabled).toBe(true);
  });

  it("shows the committed value again on blur, and enables Push", () => {
    renderView(<PushControls />, running);
    type("Count", "abc");
    expect(pushButton().disabled).toBe(true);
    fireEvent.blur(input("Count"));
    expect(input("Count").value).toBe("12");
    expect(screen.queryByText(/whole number/)).toBeNull();
    expect(pushButton().disabled).toBe(false);
  });

  it("steps with the arrow keys, within the range", () => {
    const { store } = renderView(<WorkerControls />);
    act(() => store.getState().setSettings({ workers: 7 }));
    fireEvent.keyDown(input("Workers"), { key: "ArrowUp" });
    fireEvent.keyDown(input("Workers"), { key: "ArrowUp" });
    expect(store.getState().settings.workers).toBe(8);
    fireEvent.keyDown(input("Workers"), { key: "ArrowDown" });
    expect(store.getState().settings.workers).toBe(7);
  });
});

describe("parseWhole", () => {
  const range = { min: -10, max: 10 };

  it("reads signed whole numbers, with spaces or an exponent", () => {
    expect(parseWhole(" -7 ", range)).toEqual({ value: -7 });
    expect(parseWhole("+3", range)).toEqual({ value: 3 });
    expect(parseWhole("1e1", range)).toEqual({ value: 10 });
  });

  it("refuses empty, partial, non-decimal and out-of-range text", () => {
    for (const text of ["", "-", "1.5", "0x5", "Infinity", "11", "1 2"]) {
      expect(parseWhole(text, range)).toEqual({
        problem: "whole number from -10 to 10",
      });
    }
  });

  it("says so when a field has no upper bound", () => {
    expect(parseWhole("-1", { min: 0 })).toEqual({
      problem: "whole number, 0 or more",
    });
  });
});
