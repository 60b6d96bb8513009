import {
  createEventConsumer,
  EVENT_PAYLOAD_SCHEMAS,
  FEEDBACK_EVENT_TYPES,
  TOPICS,
  type EventConsumer,
  type ProcessedEventStore,
} from '@fieldwise/events';
import type { Logger } from 'pino';
import type { EvalDeps } from '../../domain/index.js';
import {
  feedbackIntakeSchema,
  handleFeedbackEvent,
} from './feedback-intake.js';

/** What {@link createFeedbackConsumer} needs. */
export interface FeedbackConsumerOptions {
  readonly brokers: readonly string[];
  /** Consumer group; replicas share it. */
  readonly groupId: string;
  readonly deps: Pick<EvalDeps, 'store' | 'now' | 'newId'>;
  /** Remembers handled event ids (dedupe of at-least-once delivery). */
  readonly dedupe: ProcessedEventStore;
  readonly logger: Logger;
  /** Topic to read; default `fieldwise.feedback.v1` (dead letters to `<topic>.dlq`). */
  readonly topic?: string;
}

/**
 * The eval service's feedback intake: consumes `fieldwise.feedback.v1`,
 * skips event ids already handled by the group, dead-letters unparseable
 * or invalid messages to `fieldwise.feedback.v1.dlq`, and turns negative
 * feedback into one candidate case per feedback id (see
 * `handleFeedbackEvent`). The dedupe mark and the candidate live in
 * different stores, so a crash between them means one redelivery, which
 * the candidate's unique feedback id absorbs.
 */
export function createFeedbackConsumer(
  options: FeedbackConsumerOptions,
): EventConsumer {
  const logger = options.logger.child({ component: 'feedback-intake' });
  const schemas = new Map(EVENT_PAYLOAD_SCHEMAS);
  schemas.set(FEEDBACK_EVENT_TYPES.submitted, feedbackIntakeSchema);
  return createEventConsumer({
    brokers: options.brokers,
    clientId: 'eval-service-feedback',
    groupId: options.groupId,
    topics: [options.topic ?? TOPICS.feedback],
    schemas,
    dedupe: options.dedupe,
    logger,
    handle: async (event) => {
      if (event.type !== FEEDBACK_EVENT_TYPES.submitted) {
        logger.debug({ type: event.type }, 'not a feedback event; ignored');
        return;
      }
      await handleFeedbackEvent({ ...options.deps, logger }, event);
    },
  });
}
