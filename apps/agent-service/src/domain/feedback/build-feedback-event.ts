import {
  FEEDBACK_LIMITS,
  feedbackSubmittedV1Schema,
  type FeedbackSubmittedV1,
} from '@fieldwise/events';
import { NotFoundError, ValidationError } from '@fieldwise/errors';
import type { StoredMessage } from '../../adapters/conversation-store/port.js';
import type { ToolCallRecord } from '../loop/turn-events.js';

/** The user's verdict, as the feedback event spells it. */
export type FeedbackRatingValue = 'up' | 'down';

/** One edited field of a draft, as the user sent it (clear text). */
export interface DraftFieldEdit {
  readonly draftId: string;
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

/** What a user submitted about one assistant message. */
export interface FeedbackInput {
  readonly feedbackId: string;
  readonly conversationId: string;
  readonly messageId: string;
  readonly userId: string;
  readonly tenant: string;
  readonly rating: FeedbackRatingValue;
  /** Free text; '' for none. */
  readonly comment: string;
  /** The answer the user says would have been right; '' for none. */
  readonly correctedAnswer: string;
  readonly draftEdits: readonly DraftFieldEdit[];
  readonly traceId?: string | undefined;
}

/** What {@link buildFeedbackEvent} needs. */
export interface FeedbackEventDeps {
  /** The platform's one redaction path (guardrail PII and secret redaction). */
  readonly redact: (text: string) => Promise<string>;
}

/** Longest comment accepted on input; longer is VALIDATION_FAILED. */
export const MAX_FEEDBACK_COMMENT = 4000;

/** Longest corrected answer, and draft edit text, accepted on input. */
export const MAX_FEEDBACK_TEXT = 20_000;

/** Most draft field edits accepted on input. */
export const MAX_DRAFT_EDITS = FEEDBACK_LIMITS.draftEdits;

interface AssistantMetadata {
  readonly toolCalls?: readonly ToolCallRecord[];
  readonly model?: { readonly provider?: string; readonly name?: string };
}

/** Validates what only the user controls; every problem is reported at once. */
function validate(input: FeedbackInput): void {
  const violations: { field: string; message: string }[] = [];
  if (input.comment.length > MAX_FEEDBACK_COMMENT)
    violations.push({
      field: 'comment',
      message: `at most ${MAX_FEEDBACK_COMMENT} characters`,
    });
  if (input.correctedAnswer.length > MAX_FEEDBACK_TEXT)
    violations.push({
      field: 'corrected_answer',
      message: `at most ${MAX_FEEDBACK_TEXT} characters`,
    });
  if (input.draftEdits.length > MAX_DRAFT_EDITS)
    violations.push({
      field: 'draft_edits',
      message: `at most ${MAX_DRAFT_EDITS} edited fields`,
    });
  input.draftEdits.forEach((edit, i) => {
    if (edit.draftId.trim() === '' || edit.draftId.length > 128)
      violations.push({
        field: `draft_edits[${i}].draft_id`,
        message: 'must be 1 to 128 characters',
      });
    if (edit.field.trim() === '' || edit.field.length > 128)
      violations.push({
        field: `draft_edits[${i}].field`,
        message: 'must be 1 to 128 characters',
      });
    if (
      edit.before.length > MAX_FEEDBACK_TEXT ||
      edit.after.length > MAX_FEEDBACK_TEXT
    )
      violations.push({
        field: `draft_edits[${i}]`,
        message: `before and after are at most ${MAX_FEEDBACK_TEXT} characters`,
      });
  });
  if (violations.length > 0) throw new ValidationError(violations);
}

/** Redacts first (a placeholder may be longer than what it replaced), then caps. */
async function redacted(
  deps: FeedbackEventDeps,
  text: string,
  max: number,
): Promise<string> {
  return (await deps.redact(text)).slice(0, max);
}

/**
 * Builds the `fieldwise.feedback.submitted.v1` payload for feedback on one
 * stored assistant message: the rated answer and the user message that
 * asked for it (both already redacted when stored), the tools that turn
 * called, and the user's comment, corrected answer and draft edits, each
 * passed through `deps.redact` (clear PII never reaches the event) and cut
 * to the event's size caps. `messages` are the conversation's messages in
 * order. An unknown or non-assistant message id is NOT_FOUND; input over
 * the accepted sizes is VALIDATION_FAILED.
 */
export async function buildFeedbackEvent(
  deps: FeedbackEventDeps,
  input: FeedbackInput,
  messages: readonly StoredMessage[],
): Promise<FeedbackSubmittedV1> {
  validate(input);
  const index = messages.findIndex(
    (m) => m.id === input.messageId && m.role === 'assistant',
  );
  const rated = messages[index];
  if (rated === undefined) throw new NotFoundError('message', input.messageId);
  const question = messages
    .slice(0, index)
    .reverse()
    .find((m) => m.role === 'user');
  const meta = rated.metadata as AssistantMetadata;
  const model = meta.model;
  const draftEdits = [];
  for (const edit of input.draftEdits) {
    draftEdits.push({
      draftId: edit.draftId.trim(),
      field: edit.field.trim(),
      before: await redacted(deps, edit.before, FEEDBACK_LIMITS.draftEditText),
      after: await redacted(deps, edit.after, FEEDBACK_LIMITS.draftEditText),
    });
  }
  const data: FeedbackSubmittedV1 = {
    feedbackId: input.feedbackId,
    conversationId: input.conversationId,
    messageId: rated.id,
    userId: input.userId,
    tenant: input.tenant,
    rating: input.rating,
    reasons: [],
    ...(input.comment.trim() === ''
      ? {}
      : {
          comment: await redacted(deps, input.comment, FEEDBACK_LIMITS.comment),
        }),
    // Stored text was redacted when stored; redacting again is idempotent and
    // keeps this function the single gate for everything the event carries.
    ...(question
      ? {
          question: await redacted(
            deps,
            question.content,
            FEEDBACK_LIMITS.question,
          ),
        }
      : {}),
    answer: await redacted(deps, rated.content, FEEDBACK_LIMITS.answer),
    ...(input.correctedAnswer.trim() === ''
      ? {}
      : {
          correctedAnswer: await redacted(
            deps,
            input.correctedAnswer,
            FEEDBACK_LIMITS.correctedAnswer,
          ),
        }),
    draftEdits,
    toolCalls: (meta.toolCalls ?? [])
      .slice(0, FEEDBACK_LIMITS.toolCalls)
      .map((call) => ({ name: call.name.slice(0, 100), status: call.status })),
    ...(input.traceId && /^[0-9a-f]{32}$/.test(input.traceId)
      ? { traceId: input.traceId }
      : {}),
    ...(model?.provider && model.name
      ? {
          model: {
            provider: model.provider.slice(0, 64),
            name: model.name.slice(0, 128),
          },
        }
      : {}),
  };
  // The published schema is the contract: what fails it must not be sent.
  return feedbackSubmittedV1Schema.parse(data);
}
