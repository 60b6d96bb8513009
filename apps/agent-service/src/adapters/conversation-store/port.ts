import type { FieldChange } from '@fieldwise/contracts';

/** A conversation without its messages. */
export interface ConversationRecord {
  readonly id: string;
  readonly tenant: string;
  readonly userId: string;
  readonly title: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly messageCount: number;
  /** Extractive summary of the messages up to `summarizedThrough`. */
  readonly summary: string;
  /** Sequence number of the last message folded into `summary`; 0 for none. */
  readonly summarizedThrough: number;
}

/** One stored message; `content` is already redacted. */
export interface StoredMessage {
  readonly id: string;
  readonly conversationId: string;
  /** Position in the conversation, from 1. */
  readonly seq: number;
  readonly role: 'user' | 'assistant';
  readonly content: string;
  readonly createdAt: Date;
  /** Assistant metadata (citations, tool calls, pending action ids, model, usage) as JSON. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Lifecycle of a pending write action. */
export type PendingActionStatus =
  'pending' | 'executing' | 'executed' | 'rejected' | 'expired' | 'failed';

/** A write action waiting for (or past) its user's decision. */
export interface PendingActionRecord {
  readonly id: string;
  readonly conversationId: string;
  readonly tenant: string;
  /** The only user who may decide it. */
  readonly userId: string;
  readonly tool: string;
  /** The exact arguments to execute, canonical JSON. */
  readonly argumentsJson: string;
  /** SHA-256 (hex) of `argumentsJson`, checked before executing. */
  readonly argumentsSha256: string;
  readonly summary: string;
  readonly changes: readonly FieldChange[];
  /** The record written, with the version read when proposing, as JSON. */
  readonly targetJson: string;
  readonly status: PendingActionStatus;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly decidedAt: Date | null;
  /** Outcome of the execution as JSON; '' until executed. */
  readonly resultJson: string;
  readonly errorCode: string;
}

/** A page of a user's conversations, most recently updated first. */
export interface ConversationPage {
  readonly items: readonly ConversationRecord[];
  /** Opaque token of the next page; '' when this is the last. */
  readonly nextPageToken: string;
}

/**
 * Where conversations, their messages and pending actions live. Every read
 * is scoped by tenant and user: another user's record is simply absent.
 * Implementations: SQLite (embedded default) and PostgreSQL, both through
 * Kysely, both run against one contract suite.
 */
export interface ConversationStore {
  /** `sqlite` or `postgres`, for start-up logs and ListModels-style reports. */
  readonly kind: string;
  createConversation(record: ConversationRecord): Promise<void>;
  /** The conversation if it belongs to this tenant and user. */
  getConversation(
    tenant: string,
    userId: string,
    id: string,
  ): Promise<ConversationRecord | undefined>;
  /** The user's conversations, most recently updated first (ties by id). */
  listConversations(
    tenant: string,
    userId: string,
    page: { readonly pageSize: number; readonly pageToken: string },
  ): Promise<ConversationPage>;
  /** Appends messages (seq assigned in order) and bumps `updatedAt`/`messageCount`. Returns them stored. */
  appendMessages(
    conversationId: string,
    messages: readonly Omit<StoredMessage, 'seq' | 'conversationId'>[],
    at: Date,
  ): Promise<readonly StoredMessage[]>;
  /** All messages of a conversation, oldest first. */
  listMessages(conversationId: string): Promise<readonly StoredMessage[]>;
  /** Stores the summary of the messages up to `throughSeq`. */
  setSummary(
    conversationId: string,
    summary: string,
    throughSeq: number,
  ): Promise<void>;
  savePendingAction(action: PendingActionRecord): Promise<void>;
  getPendingAction(id: string): Promise<PendingActionRecord | undefined>;
  /**
   * Atomically moves an action from `from` to `to` (compare-and-set) and
   * applies `patch`. Returns false when the action was not in `from`: this
   * is what makes a confirmation execute at most once.
   */
  transitionPendingAction(
    id: string,
    from: PendingActionStatus,
    to: PendingActionStatus,
    patch?: {
      readonly decidedAt?: Date;
      readonly resultJson?: string;
      readonly errorCode?: string;
      readonly argumentsJson?: string;
    },
  ): Promise<boolean>;
  close(): Promise<void>;
}
