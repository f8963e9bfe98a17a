// Time units of the domain: every moment is epoch milliseconds of event time.
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Whether `at` falls within the `days` before `to` (`to` itself excluded). */
export function inWindow(at: number, to: number, days: number): boolean {
  return at < to && at >= to - days * DAY_MS;
}
