import { useEffect, useState } from "react";

const QUERY = "(prefers-color-scheme: dark)";

/** The system's light or dark preference, live. */
export function useColorScheme(): "light" | "dark" {
  const media =
    typeof matchMedia === "function" ? matchMedia(QUERY) : undefined;
  const [dark, setDark] = useState(media?.matches ?? false);
  useEffect(() => {
    if (!media) return;
    const listener = (e: MediaQueryListEvent) => setDark(e.matches);
    media.addEventListener("change", listener);
    return () => media.removeEventListener("change", listener);
  }, [media]);
  return dark ? "dark" : "light";
}
