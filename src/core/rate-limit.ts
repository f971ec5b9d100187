/**
 * A sliding-window limit over several counters at once (the detector's reports
 * per tab and per origin): an event is admitted only if every counter it
 * touches has had fewer than its limit in the last `windowMs`, and then it
 * counts against all of them; a refused event counts against none.
 */
export function admitted(
  windows: readonly (readonly number[])[],
  limits: readonly number[],
  now: number,
  windowMs: number,
): { ok: boolean; next: number[][] } {
  const recent = windows.map((times) => times.filter((at) => now - at < windowMs));
  const ok = recent.every((times, i) => times.length < (limits[i] ?? 0));
  return { ok, next: ok ? recent.map((times) => [...times, now]) : recent };
}
