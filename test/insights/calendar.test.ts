// Working time by a calendar, table-driven: expectations worked out by hand from the zones' offsets (London and New
// York leave summer time on 25 October and 1 November 2026; Tokyo has none).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_CALENDAR, workingHours, workingSlices, type WorkCalendar } from "../../src/insights/calendar.ts";
import { reportWindow, WindowError } from "../../src/insights/window.ts";

const at = (iso: string) => Date.parse(iso);
const cal = (changes: Partial<WorkCalendar>): WorkCalendar => ({ ...DEFAULT_CALENDAR, ...changes });

describe("working time", () => {
  const cases: [string, string, string, Partial<WorkCalendar>, number][] = [
    ["a whole Monday in UTC", "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z", {}, 8],
    ["a weekend", "2026-10-31T00:00:00Z", "2026-11-02T00:00:00Z", {}, 0],
    ["a holiday", "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z", { holidays: ["2026-11-02"] }, 0],
    ["London in summer time opens at 08:00Z", "2026-10-23T08:00:00Z", "2026-10-23T12:00:00Z", { timeZone: "Europe/London" }, 4],
    ["London after the change opens at 09:00Z", "2026-10-26T08:00:00Z", "2026-10-26T12:00:00Z", { timeZone: "Europe/London" }, 3],
    ["New York in winter opens at 14:00Z", "2026-11-02T12:00:00Z", "2026-11-02T18:00:00Z", { timeZone: "America/New_York" }, 4],
    ["a short day from 08:30 in Tokyo", "2026-11-01T15:00:00Z", "2026-11-02T15:00:00Z", { timeZone: "Asia/Tokyo", dayStart: "08:30", hoursPerDay: 7.5 }, 7.5],
    ["a Monday-to-Monday week", "2026-11-02T00:00:00Z", "2026-11-09T00:00:00Z", {}, 40],
    ["an empty interval", "2026-11-02T10:00:00Z", "2026-11-02T10:00:00Z", {}, 0],
  ];
  for (const [name, start, end, calendar, hours] of cases) {
    it(`counts ${hours} h for ${name}`, () => assert.equal(workingHours(at(start), at(end), cal(calendar)), hours));
  }

  it("dates each slice in the calendar's zone", () => {
    // 23:30Z on Monday is 08:30 on Tuesday in Tokyo.
    assert.deepEqual(workingSlices(at("2026-11-02T23:30:00Z"), at("2026-11-03T01:30:00Z"), cal({ timeZone: "Asia/Tokyo", dayStart: "08:00" })), [{ date: "2026-11-03", ms: 2 * 3_600_000 }]);
  });
});

describe("report window", () => {
  it("reads dates as whole days in the zone and date-times as given", () => {
    assert.deepEqual(reportWindow({ from: "2026-10-01", to: "2026-10-02" }, "Europe/London", 0), { from: at("2026-09-30T23:00:00Z"), to: at("2026-10-02T23:00:00Z"), given: true });
    assert.equal(reportWindow({ to: "2026-10-02T12:00:00Z" }, "UTC", 0).from, at("2026-10-02T12:00:00Z") - 90 * 86_400_000);
  });

  it("refuses a backwards window or something that is not a date, naming it", () => {
    assert.throws(() => reportWindow({ from: "2026-10-02", to: "2026-10-01" }, "UTC", 0), (error: Error) => error instanceof WindowError && /from \(2026-10-02\) must be before to \(2026-10-01\)/.test(error.message));
    assert.throws(() => reportWindow({ from: "last week" }, "UTC", 0), /from 'last week' is not a date: use YYYY-MM-DD/);
    assert.throws(() => reportWindow({ to: "2026-13-01" }, "UTC", 0), /to '2026-13-01' is not a real date/);
  });
});
