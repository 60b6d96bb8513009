import type { ChatMessage } from '@fieldwise/llm';
import type {
  ConversationRecord,
  ConversationStore,
  StoredMessage,
} from '../../adapters/conversation-store/port.js';

/** Limits of the history sent to the model. */
export interface HistoryBudget {
  /** Estimated tokens of past messages above which older ones are summarized. */
  readonly contextBudgetTokens: number;
  /** Messages always kept verbatim. */
  readonly keepRecentMessages: number;
}

const MAX_SUMMARY_CHARS = 4000;

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function firstSentence(text: string, max = 200): string {
  const sentence = /^[\s\S]*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
}

function fold(messages: readonly StoredMessage[]): string {
  return messages
    .map((m) =>
      m.role === 'user'
        ? `User asked: ${firstSentence(m.content)}`
        : `Assistant answered: ${firstSentence(m.content)}`,
    )
    .join('\n');
}

/**
 * The conversation history for the model: the running summary (as a system
 * note) and the messages after it. When those outgrow the budget, the older
 * ones are folded extractively into the summary (their first sentences),
 * which is stored so the work is done once.
 */
export async function loadHistory(
  store: ConversationStore,
  conversation: ConversationRecord,
  budget: HistoryBudget,
): Promise<ChatMessage[]> {
  if (conversation.messageCount === 0 && conversation.summary === '') return [];
  const all = await store.listMessages(conversation.id);
  let summary = conversation.summary;
  let recent = all.filter((m) => m.seq > conversation.summarizedThrough);
  const size = recent.reduce((n, m) => n + estimateTokens(m.content), 0);
  if (
    size > budget.contextBudgetTokens &&
    recent.length > budget.keepRecentMessages
  ) {
    const cut = recent.length - budget.keepRecentMessages;
    const older = recent.slice(0, cut);
    summary = [summary, fold(older)].filter((s) => s !== '').join('\n');
    if (summary.length > MAX_SUMMARY_CHARS)
      summary = summary.slice(-MAX_SUMMARY_CHARS);
    recent = recent.slice(cut);
    await store.setSummary(conversation.id, summary, older.at(-1)?.seq ?? 0);
  }
  return [
    ...(summary !== ''
      ? [
          {
            role: 'system' as const,
            content: `Summary of the earlier conversation:\n${summary}`,
          },
        ]
      : []),
    ...recent.map((m) => ({ role: m.role, content: m.content })),
  ];
}
