import { useEffect, useRef, useState } from "react";

/**
 * `value`, updated at most every `ms`: for views whose work grows with
 * the number of tasks (sorting the table), so a flood of changes costs
 * a few recomputes per second instead of one per frame.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      setShown(value);
      return;
    }
    const timer = setTimeout(() => {
      last.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return shown;
}
