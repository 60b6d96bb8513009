/**
 * The Kafka topics Fieldwise publishes to. Audit events are keyed by
 * principal, feedback events by conversation. Each has a dead-letter topic
 * named by {@link deadLetterTopic}.
 */
export const TOPICS = {
  audit: 'fieldwise.audit.v1',
  auditDlq: 'fieldwise.audit.v1.dlq',
  feedback: 'fieldwise.feedback.v1',
  feedbackDlq: 'fieldwise.feedback.v1.dlq',
} as const;

/** One of the {@link TOPICS} values. */
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** The dead-letter topic of `topic`: the same name with `.dlq` appended. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/** Whether `name` is a legal Kafka topic name (charset and length). */
export function isValidTopicName(name: string): boolean {
  return TOPIC_NAME.test(name) && name !== '.' && name !== '..';
}
