/**
 * The timeline's colours come from the page's CSS variables, so the
 * canvas follows the light or dark theme like the rest of the page.
 */
import type { Palette } from "./draw.ts";

const VARIABLES: Record<keyof Palette, string> = {
  Done: "--done",
  Failed: "--failed",
  Killed: "--killed",
  Lost: "--lost",
  Running: "--running",
  link: "--link",
  backoff: "--backoff",
  handOver: "--hand-over",
  grid: "--grid",
  selected: "--fg",
};

export function readPalette(element: HTMLElement): Palette {
  const style = getComputedStyle(element);
  const entries = Object.entries(VARIABLES).map(([key, name]) => [
    key,
    style.getPropertyValue(name).trim() || "gray",
  ]);
  return Object.fromEntries(entries) as Palette;
}
