import { z } from 'zod';
import { summarizeMeeting } from '../meeting/summarize-meeting.js';
import { dateSchema } from './schemas.js';
import { defineReadTool } from './tool.js';

const input = z
  .object({
    notes: z
      .string()
      .trim()
      .min(1)
      .max(50_000)
      .describe('The meeting transcript or notes, verbatim.'),
    meetingDate: dateSchema
      .optional()
      .describe(
        'Date of the meeting (YYYY-MM-DD); relative dates resolve against it. Default today.',
      ),
  })
  .strict();

/** `summarize_meeting`: summary, decisions, action items and next steps. */
export const summarizeMeetingTool = defineReadTool({
  name: 'summarize_meeting',
  permission: 'summarize_meeting',
  writes: false,
  description:
    'Summarize a meeting transcript or notes the user pasted: a short summary, decisions, action items with owners and due dates, and next steps. Every item is taken from the notes. Pass the notes verbatim.',
  examples: [
    'summarize these meeting notes',
    'what were the action items from this call',
    'extract decisions and next steps from the transcript',
    'recap my meeting with Acme',
  ],
  input,
  run(deps, args) {
    const meetingDate =
      args.meetingDate !== undefined
        ? new Date(`${args.meetingDate}T00:00:00Z`)
        : deps.clock();
    const summary = summarizeMeeting(args.notes, { meetingDate });
    return Promise.resolve({
      data: summary,
      summary: `${summary.decisions.length} decision(s), ${summary.actionItems.length} action item(s), ${summary.nextSteps.length} next step(s)`,
    });
  },
});
