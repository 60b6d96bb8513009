const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;
const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
};
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a UTC date. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function utc(year: number, monthIndex: number, day: number): Date {
  return new Date(Date.UTC(year, monthIndex, day));
}

function startOfDay(date: Date): Date {
  return utc(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function endOfMonth(year: number, monthIndex: number): Date {
  return utc(year, monthIndex + 1, 0);
}

function endOfQuarter(date: Date, quartersAhead = 0): Date {
  const quarter = Math.floor(date.getUTCMonth() / 3) + quartersAhead;
  return utc(date.getUTCFullYear(), quarter * 3 + 3, 0);
}

function monthIndexOf(word: string): number {
  return MONTHS.findIndex(
    (m) => m === word || m.slice(0, 3) === word.slice(0, 3),
  );
}

function count(word: string): number | undefined {
  const n = Number(word);
  return Number.isInteger(n) && n > 0 ? n : NUMBER_WORDS[word];
}

/** The next occurrence (today or later) of a month/day in the calendar. */
function upcoming(
  today: Date,
  monthIndex: number,
  day: number,
  year?: number,
): Date {
  if (year !== undefined) return utc(year, monthIndex, day);
  const candidate = utc(today.getUTCFullYear(), monthIndex, day);
  return candidate < today
    ? utc(today.getUTCFullYear() + 1, monthIndex, day)
    : candidate;
}

const MONTH_RE =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

/**
 * The calendar date a phrase names, relative to `today` (UTC), as
 * `YYYY-MM-DD`: ISO dates, "Dec 15", "15 December 2026", "end of March"
 * (the next one), "end of the month/quarter/year", "this/next quarter"
 * (its last day), "next month", "tomorrow", "next Friday", "in 2 weeks".
 */
export function parseDate(text: string, today: Date): string | undefined {
  const lower = text.toLowerCase();
  const base = startOfDay(today);
  let m = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(lower);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = new RegExp(`\\bend of (?:the )?${MONTH_RE}(?:\\s+(\\d{4}))?\\b`).exec(
    lower,
  );
  if (m) {
    const month = monthIndexOf(m[1] ?? '');
    const year = m[2] === undefined ? undefined : Number(m[2]);
    const last = endOfMonth(year ?? base.getUTCFullYear(), month);
    if (year !== undefined || last >= base) return isoDay(last);
    return isoDay(endOfMonth(base.getUTCFullYear() + 1, month));
  }
  m = new RegExp(
    `\\b${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b`,
  ).exec(lower);
  if (m) {
    return isoDay(
      upcoming(
        base,
        monthIndexOf(m[1] ?? ''),
        Number(m[2]),
        m[3] === undefined ? undefined : Number(m[3]),
      ),
    );
  }
  m = new RegExp(
    `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_RE}(?:,?\\s+(\\d{4}))?\\b`,
  ).exec(lower);
  if (m) {
    return isoDay(
      upcoming(
        base,
        monthIndexOf(m[2] ?? ''),
        Number(m[1]),
        m[3] === undefined ? undefined : Number(m[3]),
      ),
    );
  }
  if (/\bend of (the )?month\b|\bthis month\b/.test(lower))
    return isoDay(endOfMonth(base.getUTCFullYear(), base.getUTCMonth()));
  if (/\bnext month\b/.test(lower))
    return isoDay(endOfMonth(base.getUTCFullYear(), base.getUTCMonth() + 1));
  if (
    /\bend of (the )?quarter\b|\bthis quarter\b|\bquarter[- ]end\b/.test(lower)
  )
    return isoDay(endOfQuarter(base));
  if (/\bnext quarter\b/.test(lower)) return isoDay(endOfQuarter(base, 1));
  if (/\bend of (the )?year\b|\bthis year\b|\byear[- ]end\b/.test(lower))
    return isoDay(utc(base.getUTCFullYear(), 11, 31));
  if (/\btomorrow\b/.test(lower))
    return isoDay(new Date(base.getTime() + DAY_MS));
  m =
    /\b(next\s+)?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(
      lower,
    );
  if (m) {
    const target = WEEKDAYS.indexOf(m[2] as (typeof WEEKDAYS)[number]);
    let ahead = (target - base.getUTCDay() + 7) % 7;
    if (ahead === 0) ahead = 7;
    return isoDay(new Date(base.getTime() + ahead * DAY_MS));
  }
  m =
    /\bin\s+(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(day|week|month)s?\b/.exec(
      lower,
    );
  if (m) {
    const n = count(m[1] ?? '') ?? 1;
    if (m[2] === 'month')
      return isoDay(
        utc(base.getUTCFullYear(), base.getUTCMonth() + n, base.getUTCDate()),
      );
    return isoDay(
      new Date(base.getTime() + n * (m[2] === 'week' ? 7 : 1) * DAY_MS),
    );
  }
  return undefined;
}

/** True when {@link parseDate} finds a date in the text. */
export function hasDatePhrase(text: string): boolean {
  return parseDate(text, new Date(Date.UTC(2000, 0, 1))) !== undefined;
}

/**
 * A look-ahead window in days: "next 30 days", "the next two weeks",
 * "next 3 months", "this quarter" (to its last day), "this month", "next
 * quarter" (to its last day). Undefined when the text names none.
 */
export function parseHorizonDays(
  text: string,
  today: Date,
): number | undefined {
  const lower = text.toLowerCase();
  const base = startOfDay(today);
  const m =
    /\b(?:next|coming|within|in)\s+(?:the\s+)?(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve)?\s*(day|week|month)s?\b/.exec(
      lower,
    );
  if (m) {
    const n = m[1] === undefined ? 1 : (count(m[1]) ?? 1);
    const days = m[2] === 'day' ? n : m[2] === 'week' ? n * 7 : n * 30;
    return Math.min(365, Math.max(1, days));
  }
  const until = (end: Date): number =>
    Math.min(
      365,
      Math.max(1, Math.round((end.getTime() - base.getTime()) / DAY_MS)),
    );
  if (/\bthis quarter\b|\bend of (the )?quarter\b/.test(lower))
    return until(endOfQuarter(base));
  if (/\bnext quarter\b/.test(lower)) return until(endOfQuarter(base, 1));
  if (/\bthis month\b|\bend of (the )?month\b/.test(lower))
    return until(endOfMonth(base.getUTCFullYear(), base.getUTCMonth()));
  if (/\bthis year\b|\bend of (the )?year\b/.test(lower))
    return until(utc(base.getUTCFullYear(), 11, 31));
  return undefined;
}

/** A number of months a request asks for ("last 6 months", "past year"). */
export function parseMonths(text: string): number | undefined {
  const lower = text.toLowerCase();
  const m =
    /\b(?:last|past|previous|trailing)\s+(\d+|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+months?\b/.exec(
      lower,
    );
  if (m) return Math.min(36, count(m[1] ?? '') ?? 12);
  if (
    /\b(last|past|previous|trailing)\s+(year|12 months)\b|\byear over year\b/.test(
      lower,
    )
  )
    return 12;
  if (/\b(last|past|this)\s+quarter\b/.test(lower)) return 3;
  return undefined;
}

/**
 * The first month (`YYYY-MM`) of the last `months` complete months before
 * `today`: with today in November 2026, 6 gives "2026-05" (May to October).
 */
export function monthsBack(today: Date, months: number): string {
  const start = new Date(
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - months, 1),
  );
  return start.toISOString().slice(0, 7);
}
