// Jira's time-tracking strings ("1w 2d 3h 30m") and seconds, using the site's hours per day and days per week.

export interface WorkingTime {
  hoursPerDay: number;
  daysPerWeek: number;
}

/** Formats seconds as Jira does: the largest units first, zero units left out ("0m" for zero). */
export function formatDuration(seconds: number, time: WorkingTime): string {
  const minute = 60;
  const hour = 60 * minute;
  const day = time.hoursPerDay * hour;
  const week = time.daysPerWeek * day;
  let rest = Math.max(0, Math.round(seconds));
  const parts: string[] = [];
  for (const [unit, size] of [["w", week], ["d", day], ["h", hour], ["m", minute]] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.length ? parts.join(" ") : "0m";
}

/** Parses "1w 2d 3h 30m" (or a bare number of minutes, as Jira accepts) into seconds; null when invalid. */
export function parseDuration(text: string, time: WorkingTime): number | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "") return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 60);
  const sizes: Record<string, number> = {
    w: time.daysPerWeek * time.hoursPerDay * 3600,
    d: time.hoursPerDay * 3600,
    h: 3600,
    m: 60,
  };
  let total = 0;
  let matched = "";
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)\s*([wdhm])\s*/g)) {
    total += Number(match[1]) * sizes[match[2]];
    matched += match[0];
  }
  return matched.replace(/\s/g, "") === trimmed.replace(/\s/g, "") ? Math.round(total) : null;
}
