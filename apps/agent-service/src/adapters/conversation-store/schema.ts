import type { Generated } from 'kysely';

/** `conversations` table. Times are epoch milliseconds. */
export interface ConversationsTable {
  id: string;
  tenant: string;
  user_id: string;
  title: string;
  created_at: number;
  updated_at: number;
  message_count: number;
  summary: string;
  summarized_through: number;
}

/** `messages` table. */
export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  role: string;
  content: string;
  created_at: number;
  metadata_json: string;
}

/** `pending_actions` table. */
export interface PendingActionsTable {
  id: string;
  conversation_id: string;
  tenant: string;
  user_id: string;
  tool: string;
  arguments_json: string;
  arguments_sha256: string;
  summary: string;
  changes_json: string;
  target_json: string;
  status: string;
  created_at: number;
  expires_at: number;
  decided_at: number | null;
  result_json: string;
  error_code: string;
}

/** `agent_migrations` table. */
export interface MigrationsTable {
  name: string;
  applied_at: Generated<number>;
}

/** The agent's conversation database. */
export interface ConversationDatabase {
  conversations: ConversationsTable;
  messages: MessagesTable;
  pending_actions: PendingActionsTable;
  agent_migrations: MigrationsTable;
}
