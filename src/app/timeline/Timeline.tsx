/**
 * The timeline: one lane per worker instance, drawn on a canvas (bars
 * for attempts, links, backoffs, hand-overs) next to DOM lane labels
 * that carry each lane's kill button.
 *
 * The visible window is `span` ms wide and ends at the latest event
 * while following live; zooming (wheel, buttons) changes the span,
 * panning (drag, shift+wheel) stops following and moves the end.
 */
import { scaleLinear } from "d3-scale";
import { useEffect, useMemo, useRef, useState } from "react";
import { useApp } from "../context.tsx";
import { useColorScheme } from "../useColorScheme.ts";
import { axisTicks, spanLabel } from "./axis.ts";
import { barAt, drawTimeline, LANE_HEIGHT, type Palette } from "./draw.ts";
import { LaneLabels } from "./LaneLabels.tsx";
import { readPalette } from "./palette.ts";

/** Within this of an end, an axis label hangs inward, not centred. */
const EDGE_LABEL_PX = 40;

const MIN_SPAN = 200;
const MAX_SPAN = 24 * 3_600_000;

export function Timeline() {
  const board = useApp((s) => s.board);
  const version = useApp((s) => s.version);
  const selected = useApp((s) => s.selected);
  const select = useApp((s) => s.select);
  const followLive = useApp((s) => s.followLive);
  const setFollowLive = useApp((s) => s.setFollowLive);
  // The palette comes from the theme's CSS variables: redraw when it flips.
  const scheme = useColorScheme();
  const [span, setSpan] = useState(10_000);
  const [end, setEnd] = useState(0);
  const [width, setWidth] = useState(600);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drag = useRef<{ x: number; end: number } | null>(null);
  const palette = useRef<{ scheme: string; colors: Palette } | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version stands for the board's contents
  const lanes = useMemo(() => {
    const map = new Map<string, number>();
    for (const id of board.workers.keys()) map.set(id, map.size);
    return map;
  }, [board, version]);

  const origin = board.start ?? 0;
  const right = followLive ? Math.max(board.now, origin + span) : end;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([right - span, right])
        .range([0, width]),
    [right, span, width],
  );
  const height = Math.max(LANE_HEIGHT, lanes.size * LANE_HEIGHT);

  useEffect(() => {
    const element = canvas.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(100, Math.floor(entry.contentRect.width)));
    });
    observer.observe(element.parentElement ?? element);
    return () => observer.disconnect();
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version stands for the board's contents
  useEffect(() => {
    const ctx = canvas.current?.getContext("2d");
    if (!ctx) return;
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    // Reading CSS forces a style pass: once per scheme, not per frame.
    if (palette.current?.scheme !== scheme) {
      palette.current = {
        scheme,
        colors: readPalette(canvas.current as HTMLElement),
      };
    }
    const colors = palette.current.colors;
    drawTimeline(ctx, {
      board,
      lanes,
      x,
      width,
      height,
      palette: colors,
      selected,
    });
  }, [board, version, lanes, x, width, height, selected, scheme]);

  const zoom = (factor: number) =>
    setSpan((s) => Math.min(MAX_SPAN, Math.max(MIN_SPAN, s * factor)));
  const pan = (ms: number) => {
    setFollowLive(false);
    setEnd((drag.current ? drag.current.end : right) + ms);
  };

  return (
    <section className="panel timeline" aria-label="Timeline">
      <header className="panel-head">
        <h2>Timeline</h2>
        <button
          type="button"
          onClick={() => zoom(0.5)}
          title="Zoom in (or wheel)"
        >
          +
        </button>
        <button
          type="button"
          onClick={() => zoom(2)}
          title="Zoom out (or wheel; shift+wheel or drag pans)"
        >
          −
        </button>
        <label>
          <input
            type="checkbox"
            checked={followLive}
            onChange={(e) => {
              if (!e.target.checked) setEnd(right);
              setFollowLive(e.target.checked);
            }}
          />{" "}
          Follow live
        </label>
        <span className="muted">{spanLabel(span)} shown</span>
      </header>
      <div className="timeline-body">
        <LaneLabels />
        <div className="canvas-box">
          <canvas
            ref={canvas}
            width={width * (globalThis.devicePixelRatio || 1)}
            height={height * (globalThis.devicePixelRatio || 1)}
            style={{ width, height }}
            onWheel={(e) => {
              if (e.shiftKey) pan((e.deltaY / width) * span);
              else zoom(e.deltaY > 0 ? 1.25 : 0.8);
            }}
            onPointerDown={(e) => {
              drag.current = { x: e.clientX, end: right };
            }}
            onPointerMove={(e) => {
              const start = drag.current;
              if (!start || e.buttons === 0) return;
              const moved = e.clientX - start.x;
              if (Math.abs(moved) < 3) return;
              setFollowLive(false);
              setEnd(start.end - (moved / width) * span);
            }}
            onPointerUp={(e) => {
              const start = drag.current;
              drag.current = null;
              if (start && Math.abs(e.clientX - start.x) >= 3) return;
              const box = e.currentTarget.getBoundingClientRect();
              const hit = barAt(
                { board, lanes, x },
                e.clientX - box.left,
                e.clientY - box.top,
              );
              if (hit) select(hit);
            }}
          />
        </div>
      </div>
      <div className="axis" style={{ width }} aria-hidden="true">
        {axisTicks(right - span - origin, right - origin, 6).map((tick) => {
          const left = x(origin + tick.offset);
          // Labels are centred on their tick, but kept inside the axis.
          const edge = EDGE_LABEL_PX;
          const transform =
            left > width - edge
              ? "translateX(-100%)"
              : left < edge
                ? "none"
                : undefined;
          return (
            <span key={tick.offset} style={{ left, transform }}>
              {tick.label}
            </span>
          );
        })}
      </div>
    </section>
  );
}
