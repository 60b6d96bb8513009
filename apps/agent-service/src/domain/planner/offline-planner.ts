import { FieldwiseError } from '@fieldwise/errors';
import {
  collectChatModelResult,
  estimateInputTokens,
  estimateOutputTokens,
  validateChatModelRequest,
  type ChatModel,
  type ChatModelCallOptions,
  type ChatModelEvent,
  type ChatModelInfo,
  type ChatModelRequest,
  type ChatModelResult,
  type ChatTool,
} from '@fieldwise/llm';
import { composeAnswer } from './answer-templates.js';
import { readConversation } from './conversation-state.js';
import { DEFAULT_VOCABULARY, type PlannerVocabulary } from './crm-values.js';
import { planTurn } from './plan-turn.js';
import type { Embedder, EntityResolver, PlannerToolSpec } from './ports.js';
import {
  createSemanticRouter,
  type SemanticRouter,
} from './semantic-router.js';

/** What the offline planner depends on. */
export interface OfflinePlannerDeps {
  /** Resolves names as the end user (see {@link EntityResolver}). */
  readonly resolver: EntityResolver;
  /** Embeddings for the router; default: the local hashed embedder. */
  readonly embedder?: Embedder;
  /** "Today" for relative dates ("this quarter", "next 30 days"). */
  readonly today: () => Date;
  /** Seller phrasings per tool, merged with the built-in examples. */
  readonly tools?: readonly PlannerToolSpec[];
  /** Product lines and competitors; default: data/domain.json's. */
  readonly vocabulary?: PlannerVocabulary;
}

/** How the offline planner identifies itself. */
export const OFFLINE_PLANNER_INFO: ChatModelInfo = Object.freeze({
  provider: 'offline',
  name: 'fieldwise-offline-planner',
  offline: true,
});

/** Characters per streamed text delta. */
const DELTA_CHARS = 160;

/**
 * Creates the offline planner: a deterministic `ChatModel` that routes the
 * request to tools by semantic similarity, fills their arguments from CRM
 * entities, and writes the answer from the tool results with cited
 * templates. Each call is one round: it yields either tool calls (finish
 * `tool_calls`) or text (finish `stop`). Tool calls are only ever derived
 * from the user's words, the resolver, and the ids of a `find_accounts`
 * result, so retrieved or tool-returned text cannot trigger a call.
 * `toolChoice: 'none'` makes it answer from what it has.
 */
export function createOfflinePlanner(deps: OfflinePlannerDeps): ChatModel {
  const vocabulary = deps.vocabulary ?? DEFAULT_VOCABULARY;
  const examples: Record<string, string[]> = {};
  for (const tool of deps.tools ?? []) {
    examples[tool.name] = [...(examples[tool.name] ?? []), ...tool.examples];
  }
  const routers = new Map<string, SemanticRouter>();
  const routerFor = (tools: readonly ChatTool[]): SemanticRouter => {
    const key = tools
      .map((t) => `${t.name}\u0000${t.description}`)
      .join('\u0001');
    let router = routers.get(key);
    if (router === undefined) {
      router = createSemanticRouter({
        tools: tools.map((t) => ({ name: t.name, description: t.description })),
        examples,
        ...(deps.embedder === undefined ? {} : { embedder: deps.embedder }),
      });
      routers.set(key, router);
    }
    return router;
  };

  async function* stream(
    request: ChatModelRequest,
    options: ChatModelCallOptions = {},
  ): AsyncGenerator<ChatModelEvent, void, undefined> {
    validateChatModelRequest(request);
    const checkAbort = (): void => {
      if (options.signal?.aborted) {
        throw new FieldwiseError('CANCELLED', 'The model call was cancelled');
      }
    };
    checkAbort();
    const tools = request.toolChoice === 'none' ? [] : (request.tools ?? []);
    const state = readConversation(request.messages);
    const inputTokens = estimateInputTokens(request);
    const step =
      tools.length === 0
        ? { kind: 'answer' as const, intents: [] }
        : await planTurn(
            {
              resolver: deps.resolver,
              router: routerFor(tools),
              vocabulary,
              today: deps.today(),
              offered: new Set(tools.map((t) => t.name)),
              parameters: new Map(tools.map((t) => [t.name, t.parameters])),
            },
            state,
          );
    checkAbort();
    if (step.kind === 'calls') {
      const raws: string[] = [];
      for (const [i, call] of step.calls.entries()) {
        const rawArguments = JSON.stringify(call.arguments);
        raws.push(rawArguments);
        yield {
          type: 'tool-call',
          id: `offline-${state.rounds + 1}-${i + 1}`,
          name: call.name,
          arguments: call.arguments,
          rawArguments,
        };
      }
      yield finish('tool_calls', inputTokens, estimateOutputTokens(raws));
      return;
    }
    const text =
      step.kind === 'text'
        ? step.text
        : state.calls.length === 0
          ? 'I have no tool results to answer from. Could you tell me which account or topic you mean?'
          : composeAnswer(state.message, state.calls).text;
    for (let i = 0; i < text.length; i += DELTA_CHARS) {
      checkAbort();
      yield { type: 'text-delta', text: text.slice(i, i + DELTA_CHARS) };
    }
    yield finish('stop', inputTokens, estimateOutputTokens([text]));
  }

  const model: ChatModel = {
    info: OFFLINE_PLANNER_INFO,
    stream,
    complete(
      request: ChatModelRequest,
      options?: ChatModelCallOptions,
    ): Promise<ChatModelResult> {
      return collectChatModelResult(model.stream(request, options));
    },
  };
  return model;
}

function finish(
  reason: 'stop' | 'tool_calls',
  inputTokens: number,
  outputTokens: number,
): ChatModelEvent {
  return {
    type: 'finish',
    reason,
    usage: {
      inputTokens,
      outputTokens,
      totalTokens: inputTokens + outputTokens,
      estimated: true,
    },
  };
}
