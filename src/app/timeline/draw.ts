/**
 * Draws the timeline onto a 2D canvas: per lane (worker instance), one
 * bar per attempt coloured by outcome; a dashed line for each backoff
 * wait; a thin link from each attempt to the task's next one; a marker
 * where a dead worker's lock was handed over. Only what falls inside
 * the visible time window is drawn.
 */
import type { ScaleLinear } from "d3-scale";
import type { AttemptOutcome } from "../../runtime/contract.ts";
import type { Board } from "../store/board.ts";

export const LANE_HEIGHT = 24;
const BAR_HEIGHT = 14;

export interface Palette {
  readonly Done: string;
  readonly Failed: string;
  readonly Killed: string;
  readonly Lost: string;
  readonly Running: string;
  readonly link: string;
  readonly backoff: string;
  readonly handOver: string;
  readonly grid: string;
  readonly selected: string;
}

export interface DrawInput {
  readonly board: Board;
  /** Lane index of each worker instance. */
  readonly lanes: ReadonlyMap<string, number>;
  readonly x: ScaleLinear<number, number>;
  readonly width: number;
  readonly height: number;
  readonly palette: Palette;
  readonly selected: string | null;
}

const laneMid = (lane: number) => lane * LANE_HEIGHT + LANE_HEIGHT / 2;

export function drawTimeline(ctx: CanvasRenderingContext2D, input: DrawInput) {
  const { board, lanes, x, width, height, palette } = input;
  const [from, to] = x.domain() as [number, number];
  ctx.clearRect(0, 0, width, height);

  ctx.strokeStyle = palette.grid;
  ctx.lineWidth = 1;
  for (let lane = 1; lane <= lanes.size; lane++) {
    ctx.beginPath();
    ctx.moveTo(0, lane * LANE_HEIGHT + 0.5);
    ctx.lineTo(width, lane * LANE_HEIGHT + 0.5);
    ctx.stroke();
  }

  ctx.setLineDash([3, 3]);
  ctx.strokeStyle = palette.backoff;
  for (const wait of board.backoffs) {
    if (wait.until < from || wait.from > to) continue;
    const failed = attemptOf(board, wait.taskId, wait.attempt);
    const lane = failed ? lanes.get(failed.workerId) : undefined;
    if (lane === undefined) continue;
    const y = laneMid(lane) + BAR_HEIGHT / 2 + 2;
    ctx.beginPath();
    ctx.moveTo(x(wait.from), y);
    ctx.lineTo(x(wait.until), y);
    ctx.stroke();
  }
  ctx.setLineDash([]);

  for (const bar of board.bars) {
    const end = bar.endedAt ?? board.now;
    if (end < from || bar.startedAt > to) continue;
    const lane = lanes.get(bar.workerId);
    if (lane === undefined) continue;
    const left = x(bar.startedAt);
    const barWidth = Math.max(2, x(end) - left);
    ctx.fillStyle = palette[(bar.outcome ?? "Running") as AttemptOutcome];
    ctx.fillRect(left, laneMid(lane) - BAR_HEIGHT / 2, barWidth, BAR_HEIGHT);
    if (bar.taskId === input.selected) {
      ctx.strokeStyle = palette.selected;
      ctx.lineWidth = 2;
      ctx.strokeRect(
        left,
        laneMid(lane) - BAR_HEIGHT / 2,
        barWidth,
        BAR_HEIGHT,
      );
      ctx.lineWidth = 1;
    }
    if (bar.attempt > 1) {
      const previous = attemptOf(board, bar.taskId, bar.attempt - 1);
      const previousLane = previous && lanes.get(previous.workerId);
      if (previous && previousLane !== undefined && previous.endedAt) {
        ctx.strokeStyle = palette.link;
        ctx.beginPath();
        ctx.moveTo(x(previous.endedAt), laneMid(previousLane));
        ctx.lineTo(left, laneMid(lane));
        ctx.stroke();
      }
    }
  }

  ctx.strokeStyle = palette.handOver;
  ctx.fillStyle = palette.handOver;
  ctx.lineWidth = 2;
  for (const hand of board.handOvers) {
    if (hand.at < from || hand.at > to) continue;
    const lost = lanes.get(hand.lostBy);
    // The recovering instance may be unknown; the next attempt's is not.
    const next = attemptOf(board, hand.taskId, hand.attempt + 1);
    const taker =
      lanes.get(hand.recoveredBy) ?? lanes.get(next?.workerId ?? "");
    const hx = x(hand.at);
    if (lost !== undefined) {
      ctx.beginPath();
      ctx.arc(hx, laneMid(lost), 4, 0, Math.PI * 2);
      ctx.fill();
    }
    if (lost !== undefined && taker !== undefined) {
      ctx.beginPath();
      ctx.moveTo(hx, laneMid(lost));
      ctx.lineTo(hx, laneMid(taker));
      ctx.stroke();
    }
  }
  ctx.lineWidth = 1;
}

/** The task whose bar is at (px, py), if any. */
export function barAt(
  input: Pick<DrawInput, "board" | "lanes" | "x">,
  px: number,
  py: number,
): string | null {
  const lane = Math.floor(py / LANE_HEIGHT);
  const time = input.x.invert(px);
  const slack = input.x.invert(px + 3) - time;
  for (const bar of input.board.bars) {
    if (input.lanes.get(bar.workerId) !== lane) continue;
    const end = bar.endedAt ?? input.board.now;
    if (bar.startedAt - slack <= time && time <= end + slack) return bar.taskId;
  }
  return null;
}

function attemptOf(board: Board, taskId: string, attempt: number) {
  return board.attempts.get(taskId)?.find((a) => a.attempt === attempt);
}
