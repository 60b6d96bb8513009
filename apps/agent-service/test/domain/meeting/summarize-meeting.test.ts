import { describe, expect, it } from 'vitest';
import { resolveDueDate } from '../../../src/domain/meeting/meeting-dates.js';
import { summarizeMeeting } from '../../../src/domain/meeting/summarize-meeting.js';

const NOTES = `Call with Acme Corporation about the streaming renewal.
Dana: The current Confluent contract ends in March and costs are rising.
Raj: Our latency requirement is under 200 ms for the fraud pipeline.
Dana: We agreed to run a two-week proof of concept on Lumen Stream.
Decision: pricing will be based on committed annual spend.
Raj: I'll send the architecture diagram by Friday.
Action item: Maria to schedule the security review by 2026-12-04 (owner: Maria)
Dana will share the procurement checklist next week.
Next steps: reconvene on the POC results with the CTO.`;

describe('summarizeMeeting (extractive)', () => {
  const meetingDate = new Date('2026-11-25T00:00:00Z'); // a Wednesday
  const result = summarizeMeeting(NOTES, { meetingDate });

  it('extracts decisions, including labelled ones', () => {
    expect(result.decisions).toEqual([
      'We agreed to run a two-week proof of concept on Lumen Stream.',
      'pricing will be based on committed annual spend.',
    ]);
  });

  it('extracts action items with owners and resolved due dates', () => {
    expect(result.actionItems).toEqual([
      {
        text: "I'll send the architecture diagram by Friday.",
        owner: 'Raj',
        dueDate: '2026-11-27',
      },
      {
        text: 'Maria to schedule the security review by 2026-12-04 (owner: Maria)',
        owner: 'Maria',
        dueDate: '2026-12-04',
      },
      {
        text: 'Dana will share the procurement checklist next week.',
        owner: 'Dana',
        dueDate: '2026-11-30',
      },
    ]);
  });

  it('extracts next steps, participants, and a summary made of note sentences only', () => {
    expect(result.nextSteps).toEqual([
      'reconvene on the POC results with the CTO.',
    ]);
    expect(result.participants).toEqual(['Dana', 'Raj']);
    expect(result.summary.length).toBeGreaterThan(0);
    expect(result.summary.length).toBeLessThanOrEqual(3);
    for (const sentence of result.summary) expect(NOTES).toContain(sentence);
  });

  it('resolves relative dates against the meeting date', () => {
    expect(resolveDueDate('by tomorrow', meetingDate)).toBe('2026-11-26');
    expect(resolveDueDate('by end of month', meetingDate)).toBe('2026-11-30');
    expect(resolveDueDate('in 2 weeks', meetingDate)).toBe('2026-12-09');
    expect(resolveDueDate('on Jan 5', meetingDate)).toBe('2027-01-05');
    expect(resolveDueDate('no date here', meetingDate)).toBeUndefined();
  });

  it('handles empty-ish notes without inventing anything', () => {
    const empty = summarizeMeeting('ok', { meetingDate });
    expect(empty).toEqual({
      summary: [],
      decisions: [],
      actionItems: [],
      nextSteps: [],
      participants: [],
    });
  });
});
