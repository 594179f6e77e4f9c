import { scaleLinear } from "d3-scale";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyEvents, createBoard } from "../../src/app/store/board.ts";
import { axisTicks, spanLabel } from "../../src/app/timeline/axis.ts";
import {
  barAt,
  drawTimeline,
  LANE_HEIGHT,
  type Palette,
} from "../../src/app/timeline/draw.ts";
import { attemptRow, T0 } from "./fakeEngine.ts";

const palette: Palette = {
  Done: "green",
  Failed: "orange",
  Killed: "red",
  Lost: "purple",
  Running: "blue",
  link: "gray",
  backoff: "yellow",
  handOver: "crimson",
  grid: "silver",
  selected: "black",
};

/** A 2D context that records the rectangles filled, with their colour. */
function recordingContext() {
  const fills: { color: string; x: number; y: number; w: number }[] = [];
  const arcs: { color: string; x: number; y: number }[] = [];
  const state = { fillStyle: "", strokeStyle: "", lineWidth: 1 };
  const ctx = {
    ...state,
    clearRect() {},
    beginPath() {},
    moveTo() {},
    lineTo() {},
    stroke() {},
    fill() {
      arcs.push({ color: String(ctx.fillStyle), x: last.x, y: last.y });
    },
    arc(x: number, y: number) {
      last = { x, y };
    },
    setLineDash() {},
    strokeRect() {},
    fillRect(x: number, y: number, w: number) {
      fills.push({ color: String(ctx.fillStyle), x, y, w });
    },
  };
  let last = { x: 0, y: 0 };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, fills, arcs };
}

function setup() {
  const board = createBoard();
  applyEvents(board, [
    attemptRow("a", 1, "p1:w", {
      startedAt: T0,
      endedAt: T0 + 100,
      outcome: "Failed",
      error: "boom",
    }),
    attemptRow("a", 2, "p2:w", {
      startedAt: T0 + 600,
      endedAt: T0 + 700,
      outcome: "Done",
    }),
    attemptRow("b", 1, "p1:w", {
      startedAt: T0 + 50_000,
      endedAt: T0 + 50_100,
      outcome: "Done",
    }),
    {
      type: "task:orphan-recovered",
      at: T0 + 500,
      taskId: "a",
      attempt: 1,
      lostBy: "p1:w",
      recoveredBy: "",
      status: "Failed",
    },
  ]);
  const lanes = new Map([
    ["p1:w", 0],
    ["p2:w", 1],
  ]);
  const x = scaleLinear()
    .domain([T0, T0 + 1000])
    .range([0, 1000]);
  return { board, lanes, x };
}

describe("timeline drawing", () => {
  it("draws a bar per attempt in its worker's lane, coloured by outcome", () => {
    const { board, lanes, x } = setup();
    const { ctx, fills } = recordingContext();
    drawTimeline(ctx, {
      board,
      lanes,
      x,
      width: 1000,
      height: 2 * LANE_HEIGHT,
      palette,
      selected: null,
    });
    expect(fills.map((f) => [f.color, f.x, f.w])).toEqual([
      ["orange", 0, 100],
      ["green", 600, 100],
    ]);
    expect(fills[1]?.y).toBeGreaterThan(LANE_HEIGHT);
  });

  it("marks a hand-over on the lane of the worker that died", () => {
    const { board, lanes, x } = setup();
    const { ctx, arcs } = recordingContext();
    drawTimeline(ctx, {
      board,
      lanes,
      x,
      width: 1000,
      height: 2 * LANE_HEIGHT,
      palette,
      selected: null,
    });
    expect(arcs).toEqual([{ color: "crimson", x: 500, y: LANE_HEIGHT / 2 }]);
  });

  it("finds the task under the pointer", () => {
    const { board, lanes, x } = setup();
    expect(barAt({ board, lanes, x }, 650, LANE_HEIGHT + 5)).toBe("a");
    expect(barAt({ board, lanes, x }, 300, 5)).toBeNull();
  });
});

describe("timeline axis", () => {
  const labels = (from: number, to: number) =>
    axisTicks(from, to, 6).map((t) => t.label);

  it("labels ticks 50 ms apart at 2.8 min apart, not all as 2.8 min", () => {
    expect(labels(168_000, 168_200)).toEqual([
      "2:48.00",
      "2:48.05",
      "2:48.10",
      "2:48.15",
      "2:48.20",
    ]);
  });

  it("uses ms, then seconds, then clock time as the run grows", () => {
    expect(labels(0, 200)).toEqual([
      "0 ms",
      "50 ms",
      "100 ms",
      "150 ms",
      "200 ms",
    ]);
    expect(labels(-3_000, 7_000)).toEqual(["-2 s", "0 s", "2 s", "4 s", "6 s"]);
    expect(labels(0, 86_400_000)).toEqual([
      "0:00:00",
      "5:00:00",
      "10:00:00",
      "15:00:00",
      "20:00:00",
    ]);
  });

  it("ticks at whole minutes when zoomed out, not every 50,000 ms", () => {
    expect(axisTicks(0, 600_000, 6).map((t) => t.offset)).toEqual([
      0, 120_000, 240_000, 360_000, 480_000, 600_000,
    ]);
  });

  it("never gives two ticks the same label, at any zoom and place", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3_600_000, max: 100 * 3_600_000 }),
        fc.integer({ min: 200, max: 24 * 3_600_000 }),
        (from, span) => {
          const all = labels(from, from + span);
          expect(all.length).toBeGreaterThan(1);
          expect(new Set(all).size).toBe(all.length);
        },
      ),
    );
  });
});

describe("the span a view shows", () => {
  it.each([
    [420, "420 ms"],
    [12_345, "12.3 s"],
    [270_000, "4.5 min"],
    [86_400_000, "24.0 h"],
  ])("%d ms reads %j", (ms, text) => {
    expect(spanLabel(ms)).toBe(text);
  });
});
