// The report window from ?from&to: dates (YYYY-MM-DD, whole days in the calendar's zone) or ISO date-times.
import { localInstant } from "./calendar.ts";
import type { ReportWindow } from "./effort.ts";

const DAY = 86_400_000;
export const DEFAULT_WINDOW_DAYS = 90;

export class WindowError extends Error {
  readonly code = "invalid_window";
}

function parseBound(name: "from" | "to", value: string, timeZone: string): number {
  const day = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (day) {
    const date = { year: Number(day[1]), month: Number(day[2]), day: Number(day[3]) };
    const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
    if (check.getUTCMonth() + 1 !== date.month || check.getUTCDate() !== date.day) throw new WindowError(`${name} '${value}' is not a real date.`);
    // "to" includes the whole day.
    return localInstant(timeZone, date, name === "to" ? 24 * 60 : 0);
  }
  const at = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) throw new WindowError(`${name} '${value}' is not a date: use YYYY-MM-DD or an ISO 8601 date-time such as 2026-11-02T09:00:00Z.`);
  return at;
}

/** Defaults: to = now, from = 90 days before to. */
export function reportWindow(query: { from?: string; to?: string }, timeZone: string, now: number): ReportWindow & { given: boolean } {
  const to = query.to ? parseBound("to", query.to, timeZone) : now;
  const from = query.from ? parseBound("from", query.from, timeZone) : to - DEFAULT_WINDOW_DAYS * DAY;
  if (from >= to) throw new WindowError(`from (${query.from ?? new Date(from).toISOString()}) must be before to (${query.to ?? new Date(to).toISOString()}).`);
  return { from, to, given: Boolean(query.from || query.to) };
}
