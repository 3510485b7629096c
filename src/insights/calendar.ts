// Working time: how much of an interval falls in a calendar's working hours (working days, a daily window of
// hours-per-day from a start time, in a time zone, minus holidays). Time zones come from Intl, so DST is right.
export interface WorkCalendar {
  /** ISO weekdays that are worked: 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  hoursPerDay: number;
  /** When the working window opens, local "HH:MM". */
  dayStart: string;
  timeZone: string;
  /** Local dates (YYYY-MM-DD) that are not worked. */
  holidays: string[];
}

export const DEFAULT_CALENDAR: WorkCalendar = { workingDays: [1, 2, 3, 4, 5], hoursPerDay: 8, dayStart: "09:00", timeZone: "UTC", holidays: [] };

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(timeZone, found);
  }
  return found;
}

/** True when Intl knows the zone (IANA names such as Europe/London, or UTC). */
export function isTimeZone(value: string): boolean {
  try {
    formatter(value);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a zone. */
export function wallClock(timeZone: string, at: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

function offsetAt(timeZone: string, at: number): number {
  const w = wallClock(timeZone, at);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/** The instant a local date + minutes-after-midnight stands for in a zone. */
export function localInstant(timeZone: string, date: LocalDate, minutes: number): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const first = naive - offsetAt(timeZone, naive);
  return naive - offsetAt(timeZone, first);
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export function isoDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, "0")}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

function nextDay(date: LocalDate): LocalDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() || 7;
}

function startMinutes(calendar: WorkCalendar): number {
  const [hours, minutes] = calendar.dayStart.split(":").map(Number);
  return hours! * 60 + minutes!;
}

/** Working milliseconds of [start, end) per local date of the calendar's zone (days with none are left out). */
export function workingSlices(start: number, end: number, calendar: WorkCalendar, timeZone = calendar.timeZone): { date: string; ms: number }[] {
  if (!(end > start)) return [];
  const slices: { date: string; ms: number }[] = [];
  const open = startMinutes(calendar);
  const close = open + Math.round(calendar.hoursPerDay * 60);
  const holidays = new Set(calendar.holidays);
  const first = wallClock(timeZone, start);
  // A window can start the local day before `start` only if it spans midnight, which a valid calendar forbids.
  for (let day: LocalDate = first; localInstant(timeZone, day, 0) < end; day = nextDay(day)) {
    const date = isoDate(day);
    if (!calendar.workingDays.includes(isoWeekday(day)) || holidays.has(date)) continue;
    const from = Math.max(start, localInstant(timeZone, day, open));
    const to = Math.min(end, localInstant(timeZone, day, close));
    if (to > from) slices.push({ date, ms: to - from });
  }
  return slices;
}

export function workingHours(start: number, end: number, calendar: WorkCalendar, timeZone?: string): number {
  return workingSlices(start, end, calendar, timeZone).reduce((sum, slice) => sum + slice.ms, 0) / HOUR;
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDateOf(at: number, timeZone: string): string {
  return isoDate(wallClock(timeZone, at));
}

/** Monday of the ISO week a local date is in. */
export function weekOf(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  const at = new Date(Date.UTC(year!, month! - 1, day!));
  at.setUTCDate(at.getUTCDate() - ((at.getUTCDay() || 7) - 1));
  return at.toISOString().slice(0, 10);
}
