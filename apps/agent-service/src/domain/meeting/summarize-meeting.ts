import { resolveDueDate } from './meeting-dates.js';

/** One thing someone committed to do. */
export interface ActionItem {
  readonly text: string;
  /** Who does it, when the notes say; undefined otherwise. */
  readonly owner?: string;
  /** `YYYY-MM-DD`, resolved against the meeting date; undefined when none is named. */
  readonly dueDate?: string;
}

/** An extractive meeting summary: every item is a sentence of the notes. */
export interface MeetingSummary {
  /** The most representative sentences, in their original order. */
  readonly summary: readonly string[];
  readonly decisions: readonly string[];
  readonly actionItems: readonly ActionItem[];
  readonly nextSteps: readonly string[];
  /** Speakers found as `Name:` line prefixes. */
  readonly participants: readonly string[];
}

/** Options of {@link summarizeMeeting}. */
export interface SummarizeMeetingOptions {
  /** The date relative dates ("by Friday") resolve against. */
  readonly meetingDate: Date;
  /** How many sentences the summary keeps (default 3). */
  readonly summarySentences?: number;
}

interface Sentence {
  readonly text: string;
  readonly speaker?: string;
  readonly index: number;
}

const SPEAKER =
  /^\s*(?:\[[^\]]*\]\s*)?([A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,2})\s*:\s+(.*)$/;
const LABEL =
  /^\s*(?:[-*•]\s*)?(action items?|actions?|ai|todo|to-do|decisions?|decided|next steps?|summary|notes?)\s*[:-]\s*(.*)$/i;
const DECISION =
  /\b(we (?:have )?(?:agreed|decided)|agreed (?:to|that|on)|decision|decided|will go with|approved|signed off|sign-off|chose|green[- ]lit)\b/i;
const ACTION =
  /\b(will|to send|to share|to schedule|to follow up|to prepare|to review|needs? to|action item|owner|assigned|i'll|we'll|follow up|send over|set up)\b/i;
const NEXT_STEP =
  /\b(next steps?|next meeting|follow[- ]up (?:call|meeting)|reconvene|check[- ]in|regroup|next call)\b/i;
const OWNER_WILL =
  /\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+(?:will|to|is going to|owns|needs to)\b/;
const OWNER_PAREN =
  /\((?:owner:\s*)?@?([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\)|@([A-Z][a-z]+)/;
const NOT_OWNERS = new Set([
  'We',
  'I',
  'They',
  'It',
  'This',
  'That',
  'The',
  'Team',
  'Action',
  'Next',
  'Decision',
  'Owner',
]);
const STOP = new Set(
  'a an and are as at be but by for from has have i in is it its of on or that the this to was we were will with you they our us he she them their there then so if not do does did can could should would'.split(
    ' ',
  ),
);

function splitSentences(notes: string): Sentence[] {
  const out: Sentence[] = [];
  for (const rawLine of notes.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    const speakerMatch = SPEAKER.exec(line);
    const speaker =
      speakerMatch && !LABEL.test(line) ? speakerMatch[1] : undefined;
    const body = speaker !== undefined ? (speakerMatch?.[2] ?? '') : line;
    for (const part of body.split(/(?<=[.!?])\s+(?=[A-Z0-9"'])/)) {
      const text = part.trim();
      if (text.length < 3) continue;
      out.push({
        text,
        ...(speaker !== undefined ? { speaker } : {}),
        index: out.length,
      });
    }
  }
  return out;
}

function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9][a-z0-9'-]*/g) ?? []).filter(
    (w) => !STOP.has(w) && w.length > 2,
  );
}

function ownerOf(sentence: Sentence): string | undefined {
  const paren = OWNER_PAREN.exec(sentence.text);
  if (paren) return paren[1] ?? paren[2];
  const will = OWNER_WILL.exec(sentence.text);
  if (will && !NOT_OWNERS.has(will[1]!.split(' ')[0]!)) return will[1];
  if (/\b(i'll|i will|i can|let me)\b/i.test(sentence.text))
    return sentence.speaker;
  return undefined;
}

function stripLabel(text: string): { label?: string; text: string } {
  const m = LABEL.exec(text);
  if (!m) return { text };
  return { label: m[1]!.toLowerCase(), text: m[2]!.trim() };
}

/**
 * Summarizes meeting notes or a transcript without a language model:
 * decisions, action items (owner and due date when stated), next steps and
 * the most central sentences (word-frequency scoring). Every output item is
 * taken from the notes, so nothing is invented. Lines labelled "Decision:",
 * "Action item:", "Next steps:" are honoured first.
 */
export function summarizeMeeting(
  notes: string,
  options: SummarizeMeetingOptions,
): MeetingSummary {
  const sentences = splitSentences(notes);
  const decisions: string[] = [];
  const actionItems: ActionItem[] = [];
  const nextSteps: string[] = [];
  const used = new Set<number>();
  for (const sentence of sentences) {
    const { label, text } = stripLabel(sentence.text);
    if (text === '') continue;
    const item = { ...sentence, text };
    const isAction =
      label?.startsWith('action') === true ||
      label === 'ai' ||
      label?.startsWith('to') === true ||
      (label === undefined && ACTION.test(text) && !DECISION.test(text));
    if (
      label?.startsWith('decision') === true ||
      label === 'decided' ||
      (label === undefined && DECISION.test(text))
    ) {
      decisions.push(text);
      used.add(sentence.index);
    } else if (
      label?.startsWith('next') === true ||
      (label === undefined && NEXT_STEP.test(text))
    ) {
      nextSteps.push(text);
      used.add(sentence.index);
    } else if (isAction) {
      const owner = ownerOf(item);
      const dueDate = resolveDueDate(text, options.meetingDate);
      actionItems.push({
        text,
        ...(owner !== undefined ? { owner } : {}),
        ...(dueDate !== undefined ? { dueDate } : {}),
      });
      used.add(sentence.index);
    }
  }
  const frequency = new Map<string, number>();
  for (const s of sentences)
    for (const w of words(s.text))
      frequency.set(w, (frequency.get(w) ?? 0) + 1);
  const scored = sentences
    .filter((s) => !LABEL.test(s.text))
    .map((s) => {
      const ws = words(s.text);
      const score =
        ws.length === 0
          ? 0
          : ws.reduce((sum, w) => sum + (frequency.get(w) ?? 0), 0) /
            Math.sqrt(ws.length);
      return { s, score };
    })
    .sort((a, b) => b.score - a.score || a.s.index - b.s.index)
    .slice(0, options.summarySentences ?? 3)
    .sort((a, b) => a.s.index - b.s.index)
    .map(({ s }) => s.text);
  const participants = [
    ...new Set(sentences.flatMap((s) => (s.speaker ? [s.speaker] : []))),
  ];
  return {
    summary: scored,
    decisions,
    actionItems,
    nextSteps,
    participants,
  };
}
