export {
  TOPICS,
  deadLetterTopic,
  isValidTopicName,
  type Topic,
} from './topics.js';
export {
  CLOUDEVENTS_SPEC_VERSION,
  GENESIS_HASH,
  cloudEventSchema,
  sha256HexSchema,
  type AuditChainAttributes,
  type ChainedCloudEvent,
  type CloudEvent,
} from './cloud-event.js';
export {
  AUDIT_EVENT_TYPES,
  auditActorSchema,
  auditAuthzDecisionV1Schema,
  auditDataChangeV1Schema,
  auditGuardrailHitV1Schema,
  auditRateLimitV1Schema,
  auditRequestV1Schema,
  auditToolCallV1Schema,
  enforcementPointSchema,
  isAuditEventType,
  payloadDigestSchema,
  type AuditActor,
  type AuditAuthzDecisionV1,
  type AuditDataChangeV1,
  type AuditEventType,
  type AuditGuardrailHitV1,
  type AuditRateLimitV1,
  type AuditRequestV1,
  type AuditToolCallV1,
  type PayloadDigest,
} from './audit-events.js';
export {
  FEEDBACK_EVENT_TYPES,
  FEEDBACK_LIMITS,
  feedbackDraftEditSchema,
  feedbackSubmittedV1Schema,
  type FeedbackDraftEdit,
  type FeedbackSubmittedV1,
  type FeedbackSubmittedV1Input,
} from './feedback-events.js';
export {
  EVENT_PAYLOAD_SCHEMAS,
  type PayloadSchemas,
} from './event-registry.js';
export { parseEvent, type ParseEventOptions } from './parse-event.js';
export { canonicalJson } from './canonical-json.js';
export {
  chainEvent,
  chainEventJson,
  computeEventHash,
  type ChainLink,
} from './audit-chain.js';
export {
  verifyAuditChain,
  type ChainDuplicate,
  type ChainEdit,
  type ChainGap,
  type ChainReordering,
  type InvalidChainEntry,
  type ProducerChainReport,
  type VerifyAuditChainOptions,
  type VerifyReport,
} from './verify-audit-chain.js';
export type {
  AppendedEvent,
  Outbox,
  OutboxEventInput,
  OutboxRecord,
} from './outbox.js';
export {
  SqliteOutbox,
  type SqliteOutboxCommonOptions,
  type SqliteOutboxOptions,
} from './sqlite-outbox.js';
export {
  readOutbox,
  type ReadOutboxOptions,
  type StoredOutboxEvent,
} from './read-outbox.js';
export {
  backoffDelay,
  DEFAULT_BACKOFF,
  type BackoffOptions,
} from './backoff.js';
export type { EventPublisher } from './event-publisher.js';
export type { KafkaConnection } from './kafka-client.js';
export {
  KafkaEventPublisher,
  type KafkaEventPublisherOptions,
} from './kafka-event-publisher.js';
export {
  OutboxRelay,
  type OutboxRelayOptions,
  type RelayStopResult,
} from './outbox-relay.js';
export type { ProcessedEventStore } from './processed-event-store.js';
export {
  SqliteProcessedEventStore,
  type SqliteProcessedEventStoreOptions,
} from './sqlite-processed-event-store.js';
export {
  createEventConsumer,
  isPermanentEventError,
  type DeadLetterReason,
  type EventConsumer,
  type EventConsumerOptions,
  type EventConsumerStats,
  type EventContext,
  type EventHandler,
} from './event-consumer.js';
export {
  createConsumerLagReader,
  type ConsumerLagReader,
  type ConsumerLagReaderOptions,
  type PartitionLag,
} from './consumer-lag.js';
