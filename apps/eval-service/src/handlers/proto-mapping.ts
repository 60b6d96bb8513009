import {
  CaseOutcome,
  JudgeKind,
  RunStatus,
  ToolCallStatus,
  type CandidateCase as CandidateCaseMessage,
  type CaseResult as CaseResultMessage,
  type Dataset as DatasetMessage,
  type DatasetVersion as DatasetVersionMessage,
  type EvalCase as EvalCaseMessage,
  type Run as RunMessage,
  type Threshold as ThresholdMessage,
  type ToolCall,
} from '@fieldwise/contracts';
import { ValidationError, type FieldViolation } from '@fieldwise/errors';
import {
  caseTurns,
  type ActualToolCall,
  type ArgumentRule,
  type CandidateCase,
  type CaseResult,
  type CaseUser,
  type Dataset,
  type DatasetVersion,
  type EvalCase,
  type EvalCaseInput,
  type Run,
  type RunStatus as DomainRunStatus,
  type Threshold,
  type ThresholdResult,
} from '../domain/index.js';

const TOOL_STATUS: Readonly<Record<ActualToolCall['status'], ToolCallStatus>> =
  {
    executed: ToolCallStatus.EXECUTED,
    pending_confirmation: ToolCallStatus.PENDING_CONFIRMATION,
    denied: ToolCallStatus.DENIED,
    failed: ToolCallStatus.FAILED,
  };

const RUN_STATUS: Readonly<Record<DomainRunStatus, RunStatus>> = {
  running: RunStatus.RUNNING,
  completed: RunStatus.SUCCEEDED,
  failed: RunStatus.FAILED,
  cancelled: RunStatus.CANCELLED,
};

/** The domain status a proto status filter selects; `null` for QUEUED (this service never queues). */
export function runStatusFilter(
  status: RunStatus,
): DomainRunStatus | undefined | null {
  switch (status) {
    case RunStatus.UNSPECIFIED:
      return undefined;
    case RunStatus.QUEUED:
      return null;
    case RunStatus.RUNNING:
      return 'running';
    case RunStatus.SUCCEEDED:
      return 'completed';
    case RunStatus.FAILED:
      return 'failed';
    case RunStatus.CANCELLED:
      return 'cancelled';
    default:
      throw new ValidationError([
        { field: 'status', message: 'is not a known run status' },
      ]);
  }
}

/** A dataset with its latest case count. */
export function encodeDataset(
  dataset: Dataset,
  caseCount: number,
): DatasetMessage {
  return {
    id: dataset.id,
    name: dataset.name,
    description: dataset.description,
    latestVersion: dataset.latestVersion,
    caseCount,
    createdBy: dataset.createdBy,
    createdAt: dataset.createdAt,
    updatedAt: dataset.updatedAt,
  };
}

export function encodeVersion(version: DatasetVersion): DatasetVersionMessage {
  return {
    version: version.version,
    caseCount: version.caseCount,
    contentHash: version.contentHash,
    note: version.note,
    createdBy: version.createdBy,
    createdAt: version.createdAt,
  };
}

/**
 * A domain case in the contract's simpler shape: the user messages joined by
 * newlines, required facts as expected facts, argument rules as one JSON
 * object. The full case (role, sequence, forbidden facts…) travels as JSONL.
 */
export function encodeCase(evalCase: EvalCase): EvalCaseMessage {
  return {
    id: evalCase.id,
    question: caseTurns(evalCase.request).join('\n'),
    userId: evalCase.user.userId,
    expectedTools: (evalCase.expectedTools?.calls ?? []).map((call) => ({
      name: call.name,
      argumentsJson: JSON.stringify(call.arguments),
    })),
    expectedFacts: [...evalCase.requiredFacts],
    referenceAnswer: evalCase.referenceAnswer ?? '',
    tags: [...evalCase.tags],
    source: evalCase.source,
  };
}

/**
 * A contract case as a domain case input (validated later by the domain
 * schema). `user` supplies tenant and role, which the contract lacks; an
 * `arguments_json` that is not a JSON object is VALIDATION_FAILED.
 */
export function decodeCase(
  message: EvalCaseMessage,
  user: CaseUser,
  field: string,
  base?: EvalCase,
): EvalCaseInput {
  const violations: FieldViolation[] = [];
  const calls = message.expectedTools.map((tool, index) => {
    let args: Record<string, ArgumentRule> = {};
    if (tool.argumentsJson.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(tool.argumentsJson);
        if (
          parsed === null ||
          typeof parsed !== 'object' ||
          Array.isArray(parsed)
        ) {
          throw new TypeError('not an object');
        }
        args = Object.fromEntries(
          Object.entries(parsed).map(([key, value]) => [
            key,
            isPrimitive(value)
              ? value
              : { match: 'exact' as const, value: value as never },
          ]),
        );
      } catch {
        violations.push({
          field: `${field}.expected_tools[${index}].arguments_json`,
          message: 'must be one JSON object',
        });
      }
    }
    return { name: tool.name, arguments: args };
  });
  if (violations.length > 0) throw new ValidationError(violations);
  return {
    ...(base ?? {}),
    id: message.id,
    user: { ...user, userId: message.userId.trim() || user.userId },
    request: { message: message.question },
    ...(calls.length > 0
      ? { expectedTools: { match: 'set', allowExtra: true, calls } }
      : base?.expectedTools
        ? { expectedTools: base.expectedTools }
        : {}),
    requiredFacts: [...message.expectedFacts],
    ...(message.referenceAnswer !== ''
      ? { referenceAnswer: message.referenceAnswer }
      : {}),
    tags: [...message.tags],
    source: message.source.trim() || base?.source || 'manual',
  };
}

function isPrimitive(
  value: unknown,
): value is string | number | boolean | null {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}

/** Contract thresholds as domain thresholds; a bound that is not finite, or a bad name, is VALIDATION_FAILED. */
export function decodeThresholds(
  messages: readonly ThresholdMessage[],
): Threshold[] {
  return messages.map((message, index) => {
    const field = `thresholds[${index}]`;
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(message.metric)) {
      throw new ValidationError([
        { field: `${field}.metric`, message: 'must be a metric name' },
      ]);
    }
    for (const bound of ['min', 'max'] as const) {
      const value = message[bound];
      if (value !== undefined && !Number.isFinite(value)) {
        throw new ValidationError([
          { field: `${field}.${bound}`, message: 'must be a finite number' },
        ]);
      }
    }
    if (message.min === undefined && message.max === undefined) {
      throw new ValidationError([{ field, message: 'needs a min or a max' }]);
    }
    return {
      metric: message.metric,
      ...(message.min === undefined ? {} : { min: message.min }),
      ...(message.max === undefined ? {} : { max: message.max }),
    };
  });
}

/** A run with its threshold verdicts (`passed`: finished and every threshold held). */
export function encodeRun(
  run: Run,
  thresholdResults: readonly ThresholdResult[],
): RunMessage {
  return {
    id: run.id,
    datasetId: run.datasetId,
    datasetVersion: run.datasetVersion,
    status: RUN_STATUS[run.status],
    label: run.label,
    llmJudge: run.llmJudge,
    progress: { ...run.progress },
    metrics: run.metrics.map((m) => ({
      name: m.name,
      mean: m.mean,
      min: m.min,
      max: m.max,
      p95: m.p95,
      count: m.count,
    })),
    thresholdResults: thresholdResults.map((r) => ({
      threshold: { metric: r.threshold.metric, ...boundsOf(r.threshold) },
      ...(r.actual === undefined ? {} : { actual: r.actual }),
      passed: r.passed,
    })),
    passed:
      run.status === 'completed' && thresholdResults.every((r) => r.passed),
    error: run.error,
    createdBy: run.createdBy,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}

function boundsOf(threshold: Threshold): { min?: number; max?: number } {
  return {
    ...(threshold.min === undefined ? {} : { min: threshold.min }),
    ...(threshold.max === undefined ? {} : { max: threshold.max }),
  };
}

function encodeToolCall(call: ActualToolCall, index: number): ToolCall {
  return {
    id: `call-${index + 1}`,
    name: call.name,
    argumentsJson: JSON.stringify(call.arguments),
    status: TOOL_STATUS[call.status],
    summary: '',
    errorCode: '',
    pendingActionId: '',
    durationMs: 0,
  };
}

export function encodeCaseResult(result: CaseResult): CaseResultMessage {
  const turn = result.turn;
  const input = turn?.usage.inputTokens ?? 0;
  const output = turn?.usage.outputTokens ?? 0;
  return {
    runId: result.runId,
    caseId: result.caseId,
    outcome:
      result.outcome === 'passed'
        ? CaseOutcome.PASSED
        : result.outcome === 'failed'
          ? CaseOutcome.FAILED
          : CaseOutcome.ERRORED,
    question: result.question,
    answer: turn?.answer ?? '',
    toolCalls: (turn?.toolCalls ?? []).map(encodeToolCall),
    citations: (turn?.citations ?? []).map((c) => ({
      documentId: c.documentId,
      chunkId: c.chunkId,
      title: c.title,
      sectionPath: c.section,
      snippet: c.snippet,
      charStart: 0,
      charEnd: 0,
    })),
    metrics: result.metrics.map((m) => ({
      name: m.name,
      value: m.value,
      judge: m.judge === 'llm' ? JudgeKind.LLM : JudgeKind.DETERMINISTIC,
      explanation: m.explanation,
    })),
    latencyMs: Math.round(turn?.latencyMs ?? 0),
    usage: {
      promptTokens: input,
      completionTokens: output,
      totalTokens: input + output,
    },
    errorCode: result.errorCode ?? '',
    error: result.error ?? '',
    conversationId: turn?.conversationId ?? '',
  };
}

export function encodeCandidate(
  candidate: CandidateCase,
): CandidateCaseMessage {
  return {
    id: candidate.id,
    feedbackId: candidate.feedbackId,
    conversationId: candidate.conversationId,
    messageId: candidate.messageId,
    userId: candidate.userId,
    question: candidate.question,
    answer: candidate.answer,
    comment: candidate.comment,
    correctedAnswer: candidate.correctedAnswer,
    toolCalls: candidate.toolCalls.map(encodeToolCall),
    proposedCase: encodeCase(candidate.proposedCase),
    accepted: candidate.accepted,
    createdAt: candidate.createdAt,
  };
}
