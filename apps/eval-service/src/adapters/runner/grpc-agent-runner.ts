import {
  ToolCallStatus,
  type AgentServiceService,
  type ChatResponse,
  type FinalAnswer,
} from '@fieldwise/contracts';
import { FieldwiseError, isErrorCode } from '@fieldwise/errors';
import type { GrpcServiceClient } from '@fieldwise/grpc';
import {
  caseTurns,
  type ActualToolCall,
  type AgentRunner,
  type AgentTurn,
  type AnswerCitation,
  type EvalCase,
  type ToolCallStatus as DomainToolCallStatus,
  type TranscriptMessage,
} from '../../domain/index.js';
import type { Impersonator } from './impersonation.js';
import { SEARCH_TOOL, type TurnEvidence } from './retrieval-evidence.js';

/** What {@link GrpcAgentRunner} needs. */
export interface GrpcAgentRunnerOptions {
  readonly client: GrpcServiceClient<typeof AgentServiceService>;
  readonly impersonator: Impersonator;
  /** Rebuilds the chunks the turn retrieved; absent: the turn retrieved nothing citable (every citation `not_retrieved`). */
  readonly evidence?: TurnEvidence | undefined;
  /** Deadline of one Chat call; default 120 s. */
  readonly deadlineMs?: number;
  /** Agent model name; empty uses the agent's default. */
  readonly model?: string;
}

const STATUS: Readonly<Record<number, DomainToolCallStatus>> = {
  [ToolCallStatus.EXECUTED]: 'executed',
  [ToolCallStatus.PENDING_CONFIRMATION]: 'pending_confirmation',
  [ToolCallStatus.DENIED]: 'denied',
  [ToolCallStatus.FAILED]: 'failed',
};

/**
 * An {@link AgentRunner} that asks the agent service over gRPC
 * (`AgentService.Chat`) as each case's user: every turn is sent with a
 * principal the {@link Impersonator} signed (and audited) for the case's
 * user with the evaluation identity as actor, and with `eval_run_id` set.
 * The turns of a multi-turn script share one conversation; the last turn's
 * final answer, tool calls, citations and usage are the result, with the
 * chunk set that turn's own retrieval calls returned (see `TurnEvidence`)
 * as the evidence its citations are checked against. An `error`
 * event, a stream without `final`, or a failed call is a FieldwiseError.
 */
export class GrpcAgentRunner implements AgentRunner {
  constructor(private readonly options: GrpcAgentRunnerOptions) {}

  async run(
    evalCase: EvalCase,
    options: { readonly signal: AbortSignal; readonly runId: string },
  ): Promise<AgentTurn> {
    const started = performance.now();
    const transcript: TranscriptMessage[] = [];
    let conversationId = '';
    let final: FinalAnswer | undefined;
    let principalToken = '';
    for (const message of caseTurns(evalCase.request)) {
      principalToken = await this.options.impersonator.principalFor(
        evalCase.user,
        { runId: options.runId, caseId: evalCase.id },
        options.signal,
      );
      final = await this.chat(message, conversationId, principalToken, options);
      conversationId = final.conversationId;
      transcript.push({ role: 'user', content: message });
      transcript.push({ role: 'assistant', content: final.answer });
    }
    if (final === undefined) {
      throw new FieldwiseError('VALIDATION_FAILED', 'the case has no turn');
    }
    const citations: AnswerCitation[] = final.citations.map((c) => ({
      documentId: c.documentId,
      chunkId: c.chunkId,
      title: c.title,
      section: c.sectionPath,
      snippet: c.snippet,
    }));
    const toolCalls: ActualToolCall[] = final.toolCalls.map((call) => ({
      name: call.name,
      arguments: parseArguments(call.argumentsJson),
      status: STATUS[call.status] ?? 'failed',
    }));
    // Only what the last turn itself retrieved may back its citations.
    const retrieved = this.options.evidence
      ? await this.options.evidence.retrievedIn(
          toolCalls,
          principalToken,
          options.signal,
        )
      : [];
    // The stream carries tool results as one-line summaries; only retrieval
    // results are rebuilt in full, so other executed tools leave gaps.
    const evidenceGaps = [
      ...new Set(
        toolCalls
          .filter(
            (c) =>
              c.status === 'executed' &&
              !(c.name === SEARCH_TOOL && this.options.evidence),
          )
          .map((c) => c.name),
      ),
    ];
    return {
      answer: final.answer,
      toolCalls,
      citations,
      retrieved,
      toolResults: final.toolCalls
        .filter((call) => call.summary !== '')
        .map((call) => ({ name: call.name, content: call.summary })),
      latencyMs: Math.round(performance.now() - started),
      usage: {
        inputTokens: final.usage?.promptTokens ?? 0,
        outputTokens: final.usage?.completionTokens ?? 0,
      },
      ...(conversationId === '' ? {} : { conversationId }),
      ...(transcript.length > 2 ? { transcript } : {}),
      ...(evidenceGaps.length > 0 ? { evidenceGaps } : {}),
    };
  }

  private async chat(
    message: string,
    conversationId: string,
    principalToken: string,
    options: { readonly signal: AbortSignal; readonly runId: string },
  ): Promise<FinalAnswer> {
    const stream = this.options.client.chat(
      {
        message,
        conversationId,
        accountId: '',
        model: this.options.model ?? '',
        evalRunId: options.runId,
      },
      {
        principalToken,
        signal: options.signal,
        deadlineMs: this.options.deadlineMs ?? 120_000,
      },
    );
    for await (const event of stream) {
      const outcome = terminalOf(event);
      if (outcome !== undefined) return outcome;
    }
    throw new FieldwiseError(
      'DEPENDENCY_UNAVAILABLE',
      'the agent ended the chat stream without a final answer',
      { context: { dependency: 'agent-service' } },
    );
  }
}

function terminalOf(event: ChatResponse): FinalAnswer | undefined {
  const body = event.event;
  if (body?.$case === 'final') return body.value;
  if (body?.$case === 'error') {
    const code = isErrorCode(body.value.code) ? body.value.code : 'INTERNAL';
    throw new FieldwiseError(code, `agent: ${body.value.message}`, {
      context: { source: 'agent-service', retryable: body.value.retryable },
    });
  }
  return undefined;
}

function parseArguments(json: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    // A tool call whose arguments are not JSON matches no expected argument.
    return {};
  }
}
