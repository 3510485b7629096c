// JQL date values: relative periods (-1d, "-1w 2d"), date functions (startOfDay(-1) ...) and absolute dates
// ("yyyy/MM/dd HH:mm", "yyyy-MM-dd"), all read in the caller's time zone, as Jira does.
import { JqlError } from "./errors.ts";

const MINUTE = 60_000;
const UNIT_MS: Record<string, number> = { w: 7 * 24 * 60 * MINUTE, d: 24 * 60 * MINUTE, h: 60 * MINUTE, m: MINUTE };

export function invalidDate(value: string, field: string): JqlError {
  return new JqlError(
    `Date value '${value}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

/** Wall-clock parts of an instant in a time zone. */
function partsIn(epochMs: number, timeZone: string) {
  const format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", weekday: "short" });
  const parts = Object.fromEntries(format.formatToParts(new Date(epochMs)).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), weekday: String(parts.weekday) };
}

/** The instant at which the wall clock in `timeZone` shows the given time. */
export function zonedTime(timeZone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const shown = partsIn(guess, timeZone);
    const shownUtc = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute);
    guess += asUtc - shownUtc;
  }
  return guess;
}

/** The unit a date literal names: "yyyy-MM-dd" a day, "yyyy-MM-dd HH:mm" a minute, a period its least significant unit. */
type Precision = "minute" | "hour" | "day";

/** A period ("-1w 2d", "+5m") in ms, with its precision (minutes win at once, then hours, else days, as in Jira). */
function parsePeriod(text: string): { ms: number; precision: Precision } | null {
  const match = /^([+-])?\s*((?:\d+\s*[wdhm]\s*)+)$/i.exec(text.trim());
  if (!match) return null;
  let total = 0;
  const units = new Set<string>();
  for (const [, amount, unit] of match[2]!.matchAll(/(\d+)\s*([wdhm])/gi)) {
    total += Number(amount) * UNIT_MS[unit!.toLowerCase()]!;
    units.add(unit!.toLowerCase());
  }
  const precision = units.has("m") ? "minute" : units.has("h") ? "hour" : "day";
  return { ms: match[1] === "-" ? -total : total, precision };
}

/** An absolute or relative date literal: the instant it names and its precision; null if it is neither. */
function parseDate(text: string, now: number, timeZone: string): { time: number; precision: Precision } | null {
  const absolute = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(text.trim());
  if (absolute) {
    const [, year, month, day, hour, minute] = absolute;
    if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31 || Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59) return null;
    return { time: zonedTime(timeZone, Number(year), Number(month), Number(day), Number(hour ?? 0), Number(minute ?? 0)), precision: hour === undefined ? "day" : "minute" };
  }
  const period = parsePeriod(text);
  return period === null ? null : { time: now + period.ms, precision: period.precision };
}

/** An absolute or relative date literal → epoch ms, or null if it is neither. */
export function parseDateLiteral(text: string, now: number, timeZone: string): number | null {
  return parseDate(text, now, timeZone)?.time ?? null;
}

/** Date functions with an optional period argument, e.g. startOfDay(-1), endOfWeek("+1w"). */
export function dateFunction(name: string, args: string[], now: number, timeZone: string): number | null {
  const lower = name.toLowerCase();
  if (lower === "now") return now;
  const offsetArg = args[0];
  let offset = 0;
  if (offsetArg !== undefined) {
    const bare = /^[+-]?\d+$/.test(offsetArg.trim()) ? `${offsetArg.trim()}${lower.includes("week") ? "w" : lower.includes("day") ? "d" : "d"}` : offsetArg;
    const parsed = parsePeriod(bare);
    if (parsed === null) return null;
    offset = parsed.ms;
  }
  const base = now + offset;
  const parts = partsIn(base, timeZone);
  const dayStart = zonedTime(timeZone, parts.year, parts.month, parts.day);
  switch (lower) {
    case "startofday":
      return dayStart;
    case "endofday":
      return zonedTime(timeZone, parts.year, parts.month, parts.day + 1) - 1;
    case "startofweek": {
      // Jira's weeks start on Sunday in the default locale.
      const back = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday);
      return zonedTime(timeZone, parts.year, parts.month, parts.day - back);
    }
    case "endofweek": {
      const back = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday);
      return zonedTime(timeZone, parts.year, parts.month, parts.day - back + 7) - 1;
    }
    case "startofmonth":
      return zonedTime(timeZone, parts.year, parts.month, 1);
    case "endofmonth":
      return zonedTime(timeZone, parts.year, parts.month + 1, 1) - 1;
    case "startofyear":
      return zonedTime(timeZone, parts.year, 1, 1);
    case "endofyear":
      return zonedTime(timeZone, parts.year + 1, 1, 1) - 1;
    default:
      return null;
  }
}

/** Jira compares JQL dates at minute precision. */
export function toMinute(epochMs: number): number {
  return Math.floor(epochMs / MINUTE) * MINUTE;
}

/** An instant range, both ends included. */
export interface DateRange {
  lo: number;
  hi: number;
}

/**
 * A history predicate's date as the range it names, the way Jira reads it (JqlDateSupportImpl
 * .convertToDateRangeWithImpliedPrecision): "yyyy-MM-dd" is the whole day, "yyyy-MM-dd HH:mm" that minute, and a
 * period its least significant unit ("-5m" a minute, "-2h" an hour, "-1d" and "-1w" a day) — all in the caller's
 * time zone. Functions (now(), startOfDay() ...) name an instant. Without minute precision (the quirk off),
 * minutes and instants are exact; hours and days keep their range.
 */
export function literalDateRange(text: string, now: number, timeZone: string, minutePrecision: boolean): DateRange | null {
  const parsed = parseDate(text, now, timeZone);
  return parsed && rangeAround(parsed.time, parsed.precision, timeZone, minutePrecision);
}

/** The instant a date function names, as a range (a minute with minute precision). */
export function instantRange(time: number, minutePrecision: boolean): DateRange {
  return minutePrecision ? { lo: toMinute(time), hi: toMinute(time) + MINUTE - 1 } : { lo: time, hi: time };
}

function rangeAround(time: number, precision: Precision, timeZone: string, minutePrecision: boolean): DateRange {
  if (precision === "minute") return instantRange(time, minutePrecision);
  const parts = partsIn(time, timeZone);
  if (precision === "hour") {
    const lo = zonedTime(timeZone, parts.year, parts.month, parts.day, parts.hour);
    return { lo, hi: lo + 60 * MINUTE - 1 };
  }
  return { lo: zonedTime(timeZone, parts.year, parts.month, parts.day), hi: zonedTime(timeZone, parts.year, parts.month, parts.day + 1) - 1 };
}
