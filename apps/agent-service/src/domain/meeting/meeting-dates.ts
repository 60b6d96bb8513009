const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
];

const ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/;
const MONTH_DAY =
  /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b/i;
const DAY_MONTH =
  /\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b/i;
const WEEKDAY =
  /\b(?:by|on|this|next|before)?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;
const RELATIVE =
  /\b(today|tomorrow|end of (?:the )?week|eow|end of (?:the )?month|eom|next week|in (\d{1,2}) (day|week)s?)\b/i;

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

function nextWeekday(from: Date, weekday: number): Date {
  const delta = (weekday - from.getUTCDay() + 7) % 7 || 7;
  return addDays(from, delta);
}

/**
 * Finds a due date in a sentence and resolves it against the meeting date:
 * ISO dates, "March 3", "3 March", weekdays ("by Friday": the next one),
 * "today", "tomorrow", "end of week", "end of month", "next week", "in 2
 * weeks". Returns `YYYY-MM-DD`, or undefined when the sentence names none.
 */
export function resolveDueDate(
  sentence: string,
  meetingDate: Date,
): string | undefined {
  const isoMatch = ISO.exec(sentence);
  if (isoMatch) {
    const parsed = new Date(`${isoMatch[0]}T00:00:00Z`);
    if (!Number.isNaN(parsed.getTime())) return iso(parsed);
  }
  const md = MONTH_DAY.exec(sentence);
  const dm = md ? undefined : DAY_MONTH.exec(sentence);
  if (md || dm) {
    const monthText = (md ? md[1] : dm?.[2]) ?? '';
    const day = Number(md ? md[2] : dm?.[1]);
    const month = MONTHS.indexOf(monthText.toLowerCase().slice(0, 3));
    if (month >= 0 && day >= 1 && day <= 31) {
      let year = meetingDate.getUTCFullYear();
      let candidate = new Date(Date.UTC(year, month, day));
      // A month-day already past at the meeting means next year's.
      if (candidate.getTime() < meetingDate.getTime() - 86_400_000) {
        year += 1;
        candidate = new Date(Date.UTC(year, month, day));
      }
      return iso(candidate);
    }
  }
  const rel = RELATIVE.exec(sentence);
  if (rel) {
    const phrase = rel[1]!.toLowerCase();
    if (phrase === 'today') return iso(meetingDate);
    if (phrase === 'tomorrow') return iso(addDays(meetingDate, 1));
    if (phrase.startsWith('end of') && phrase.includes('month'))
      return iso(
        new Date(
          Date.UTC(
            meetingDate.getUTCFullYear(),
            meetingDate.getUTCMonth() + 1,
            0,
          ),
        ),
      );
    if (phrase === 'eom')
      return iso(
        new Date(
          Date.UTC(
            meetingDate.getUTCFullYear(),
            meetingDate.getUTCMonth() + 1,
            0,
          ),
        ),
      );
    if (phrase === 'eow' || phrase.startsWith('end of'))
      return iso(
        meetingDate.getUTCDay() === 5
          ? meetingDate
          : nextWeekday(meetingDate, 5),
      );
    if (phrase === 'next week') return iso(nextWeekday(meetingDate, 1));
    if (rel[2] !== undefined) {
      const n = Number(rel[2]);
      return iso(addDays(meetingDate, rel[3] === 'week' ? n * 7 : n));
    }
  }
  const wd = WEEKDAY.exec(sentence);
  if (wd) {
    return iso(
      nextWeekday(meetingDate, WEEKDAYS.indexOf(wd[1]!.toLowerCase())),
    );
  }
  return undefined;
}
