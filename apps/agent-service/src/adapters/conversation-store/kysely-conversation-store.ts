import type { FieldChange } from '@fieldwise/contracts';
import { ValidationError } from '@fieldwise/errors';
import type { Kysely, Selectable } from 'kysely';
import type {
  ConversationPage,
  ConversationRecord,
  ConversationStore,
  PendingActionRecord,
  PendingActionStatus,
  StoredMessage,
} from './port.js';
import type {
  ConversationDatabase,
  ConversationsTable,
  MessagesTable,
  PendingActionsTable,
} from './schema.js';

const MAX_PAGE = 100;

function toConversation(
  row: Selectable<ConversationsTable>,
): ConversationRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    userId: row.user_id,
    title: row.title,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    messageCount: Number(row.message_count),
    summary: row.summary,
    summarizedThrough: Number(row.summarized_through),
  };
}

function toMessage(row: Selectable<MessagesTable>): StoredMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    role: row.role === 'assistant' ? 'assistant' : 'user',
    content: row.content,
    createdAt: new Date(Number(row.created_at)),
    metadata: JSON.parse(row.metadata_json) as Record<string, unknown>,
  };
}

function toAction(row: Selectable<PendingActionsTable>): PendingActionRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    tenant: row.tenant,
    userId: row.user_id,
    tool: row.tool,
    argumentsJson: row.arguments_json,
    argumentsSha256: row.arguments_sha256,
    summary: row.summary,
    changes: JSON.parse(row.changes_json) as FieldChange[],
    targetJson: row.target_json,
    status: row.status as PendingActionStatus,
    createdAt: new Date(Number(row.created_at)),
    expiresAt: new Date(Number(row.expires_at)),
    decidedAt:
      row.decided_at === null ? null : new Date(Number(row.decided_at)),
    resultJson: row.result_json,
    errorCode: row.error_code,
  };
}

function encodeToken(updatedAt: number, id: string): string {
  return Buffer.from(JSON.stringify([updatedAt, id])).toString('base64url');
}

function decodeToken(token: string): [number, string] | undefined {
  if (token === '') return undefined;
  try {
    const value: unknown = JSON.parse(
      Buffer.from(token, 'base64url').toString('utf8'),
    );
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'number' &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // falls through to the validation error
  }
  throw new ValidationError([
    { field: 'page.pageToken', message: 'not a token this service issued' },
  ]);
}

/**
 * The conversation store over Kysely: the same queries serve SQLite and
 * PostgreSQL; subclasses only open the dialect.
 */
export class KyselyConversationStore implements ConversationStore {
  constructor(
    readonly kind: string,
    protected readonly db: Kysely<ConversationDatabase>,
  ) {}

  async createConversation(record: ConversationRecord): Promise<void> {
    await this.db
      .insertInto('conversations')
      .values({
        id: record.id,
        tenant: record.tenant,
        user_id: record.userId,
        title: record.title,
        created_at: record.createdAt.getTime(),
        updated_at: record.updatedAt.getTime(),
        message_count: record.messageCount,
        summary: record.summary,
        summarized_through: record.summarizedThrough,
      })
      .execute();
  }

  async getConversation(
    tenant: string,
    userId: string,
    id: string,
  ): Promise<ConversationRecord | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .where('tenant', '=', tenant)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toConversation(row);
  }

  async listConversations(
    tenant: string,
    userId: string,
    page: { readonly pageSize: number; readonly pageToken: string },
  ): Promise<ConversationPage> {
    const size = Math.min(Math.max(page.pageSize || 20, 1), MAX_PAGE);
    const after = decodeToken(page.pageToken);
    let query = this.db
      .selectFrom('conversations')
      .selectAll()
      .where('tenant', '=', tenant)
      .where('user_id', '=', userId);
    if (after) {
      const [updatedAt, id] = after;
      query = query.where((eb) =>
        eb.or([
          eb('updated_at', '<', updatedAt),
          eb.and([eb('updated_at', '=', updatedAt), eb('id', '<', id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(size + 1)
      .execute();
    const items = rows.slice(0, size).map(toConversation);
    const last = items.at(-1);
    return {
      items,
      nextPageToken:
        rows.length > size && last
          ? encodeToken(last.updatedAt.getTime(), last.id)
          : '',
    };
  }

  async appendMessages(
    conversationId: string,
    messages: readonly Omit<StoredMessage, 'seq' | 'conversationId'>[],
    at: Date,
  ): Promise<readonly StoredMessage[]> {
    return this.db.transaction().execute(async (trx) => {
      const conversation = await trx
        .selectFrom('conversations')
        .select(['message_count'])
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      let seq = Number(conversation.message_count);
      const stored: StoredMessage[] = messages.map((m) => ({
        ...m,
        conversationId,
        seq: ++seq,
      }));
      if (stored.length > 0) {
        await trx
          .insertInto('messages')
          .values(
            stored.map((m) => ({
              id: m.id,
              conversation_id: conversationId,
              seq: m.seq,
              role: m.role,
              content: m.content,
              created_at: m.createdAt.getTime(),
              metadata_json: JSON.stringify(m.metadata),
            })),
          )
          .execute();
      }
      await trx
        .updateTable('conversations')
        .set({ message_count: seq, updated_at: at.getTime() })
        .where('id', '=', conversationId)
        .execute();
      return stored;
    });
  }

  async listMessages(
    conversationId: string,
  ): Promise<readonly StoredMessage[]> {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('seq', 'asc')
      .execute();
    return rows.map(toMessage);
  }

  async setSummary(
    conversationId: string,
    summary: string,
    throughSeq: number,
  ): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({ summary, summarized_through: throughSeq })
      .where('id', '=', conversationId)
      .execute();
  }

  async savePendingAction(action: PendingActionRecord): Promise<void> {
    await this.db
      .insertInto('pending_actions')
      .values({
        id: action.id,
        conversation_id: action.conversationId,
        tenant: action.tenant,
        user_id: action.userId,
        tool: action.tool,
        arguments_json: action.argumentsJson,
        arguments_sha256: action.argumentsSha256,
        summary: action.summary,
        changes_json: JSON.stringify(action.changes),
        target_json: action.targetJson,
        status: action.status,
        created_at: action.createdAt.getTime(),
        expires_at: action.expiresAt.getTime(),
        decided_at: action.decidedAt?.getTime() ?? null,
        result_json: action.resultJson,
        error_code: action.errorCode,
      })
      .execute();
  }

  async getPendingAction(id: string): Promise<PendingActionRecord | undefined> {
    const row = await this.db
      .selectFrom('pending_actions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toAction(row);
  }

  async transitionPendingAction(
    id: string,
    from: PendingActionStatus,
    to: PendingActionStatus,
    patch: {
      readonly decidedAt?: Date;
      readonly resultJson?: string;
      readonly errorCode?: string;
      readonly argumentsJson?: string;
    } = {},
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('pending_actions')
      .set({
        status: to,
        ...(patch.decidedAt ? { decided_at: patch.decidedAt.getTime() } : {}),
        ...(patch.resultJson !== undefined
          ? { result_json: patch.resultJson }
          : {}),
        ...(patch.errorCode !== undefined
          ? { error_code: patch.errorCode }
          : {}),
        ...(patch.argumentsJson !== undefined
          ? { arguments_json: patch.argumentsJson }
          : {}),
      })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
