import type { EvalCase } from './dataset/eval-case.js';

/** A named, versioned set of cases, owned by one tenant. */
export interface Dataset {
  readonly id: string;
  readonly tenant: string;
  /** Unique within the tenant. */
  readonly name: string;
  readonly description: string;
  /** Latest version number (1-based); 0 before the first import. */
  readonly latestVersion: number;
  readonly createdBy: string;
  /** RFC 3339 UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An immutable snapshot of a dataset's cases. */
export interface DatasetVersion {
  readonly datasetId: string;
  readonly version: number;
  readonly caseCount: number;
  /** SHA-256 (hex) of the canonical cases (see `contentHash`). */
  readonly contentHash: string;
  readonly note: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** Outcome of one tool call, as the agent reports it. */
export type ToolCallStatus =
  'executed' | 'pending_confirmation' | 'denied' | 'failed';

/** A tool call the agent made during the evaluated turn. */
export interface ActualToolCall {
  readonly name: string;
  /** The arguments as one JSON object. */
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly status: ToolCallStatus;
}

/** A source the answer cites. */
export interface AnswerCitation {
  readonly documentId: string;
  readonly chunkId: string;
  readonly title: string;
  readonly section: string;
  readonly snippet: string;
}

/** A chunk (or tool result passage) actually returned to the agent in the turn. */
export interface RetrievedChunk {
  readonly documentId: string;
  readonly chunkId: string;
  readonly text: string;
}

/** A tool's result content, as the model saw it. */
export interface ToolResultContent {
  readonly name: string;
  readonly content: string;
}

/** One message of a case's conversation, for transcripts. */
export interface TranscriptMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/**
 * What the agent did for a case: the last turn's answer and everything it
 * relied on in that turn. `retrieved` and `toolResults` are the evidence
 * citation validity and groundedness check against.
 */
export interface AgentTurn {
  readonly answer: string;
  readonly toolCalls: readonly ActualToolCall[];
  readonly citations: readonly AnswerCitation[];
  readonly retrieved: readonly RetrievedChunk[];
  readonly toolResults: readonly ToolResultContent[];
  readonly latencyMs: number;
  readonly usage: {
    readonly inputTokens: number;
    readonly outputTokens: number;
  };
  /** Conversation id at the agent, when known. */
  readonly conversationId?: string;
  /** Every message of a multi-turn script, when the runner keeps them. */
  readonly transcript?: readonly TranscriptMessage[];
  /**
   * Executed tools whose result content the runner could not capture (only
   * their one-line summary is in `toolResults`). Groundedness is not
   * measured for such a turn: its claims would look unsupported for want of
   * evidence, not for want of support.
   */
  readonly evidenceGaps?: readonly string[];
}

/** Who computed a metric. */
export type JudgeKind = 'deterministic' | 'llm';

/**
 * One metric of one case. Scores are in [0, 1]; `latency_ms` and
 * `total_tokens` are raw values. `passed` is absent for measurements that
 * have no case-level pass criterion (latency, tokens).
 */
export interface MetricValue {
  readonly name: string;
  readonly value: number;
  readonly judge: JudgeKind;
  readonly passed?: boolean;
  /** Why the value is what it is, e.g. which fact was missing. */
  readonly explanation: string;
  /** Machine-readable specifics (unsupported sentences, bad citations…). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** `passed`: every case-level check passed; `errored`: the agent call failed. */
export type CaseOutcome = 'passed' | 'failed' | 'errored';

/** The result of one case in one run. */
export interface CaseResult {
  readonly runId: string;
  readonly caseId: string;
  /** Position of the case in the dataset version (for dataset order). */
  readonly position: number;
  readonly outcome: CaseOutcome;
  /** The user messages, copied from the case. */
  readonly question: string;
  /** The agent's turn; absent when errored. */
  readonly turn?: AgentTurn;
  readonly metrics: readonly MetricValue[];
  /** Judge details per criterion when LLM judging ran. */
  readonly judgeVerdicts?: readonly JudgeVerdictSummary[];
  /** Catalogue code and message when errored. */
  readonly errorCode?: string;
  readonly error?: string;
  readonly finishedAt: string;
}

/** The rubric criteria an LLM judge scores. */
export type JudgeCriterion = 'groundedness' | 'relevance' | 'helpfulness';

/** The repeated verdicts of one judge criterion on one case. */
export interface JudgeVerdictSummary {
  readonly criterion: JudgeCriterion;
  /** Each valid score (1–5), in the order the judge returned them. */
  readonly scores: readonly number[];
  readonly rationales: readonly string[];
  readonly mean: number;
  /** Population variance of the scores. */
  readonly variance: number;
  /** Share of verdicts that differ from the most common score, in [0, 1]. */
  readonly disagreement: number;
  /** True when the scores span 2 points or more: the verdict is not stable. */
  readonly flaky: boolean;
  /** Judge calls that failed or returned an unusable verdict. */
  readonly invalid: number;
}

/** Lifecycle of a run. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** An aggregate of one metric over a run's cases. */
export interface MetricSummary {
  readonly name: string;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly p95: number;
  /** Cases the metric was measured on. */
  readonly count: number;
  /** Share of measured cases that passed it; absent for raw measurements. */
  readonly passRate?: number;
}

/** Agreement between the LLM judge and human labels for one criterion. */
export interface JudgeAgreement {
  readonly criterion: JudgeCriterion;
  /** Cases that had both a human label and a judge score. */
  readonly pairs: number;
  /** Quadratic-weighted Cohen's kappa; null when undefined (fewer than 2 pairs or no variance). */
  readonly weightedKappa: number | null;
  /** Spearman rank correlation; null when undefined. */
  readonly spearman: number | null;
}

/** Counts of a run's progress. */
export interface RunProgress {
  readonly totalCases: number;
  /** Cases with a result (passed, failed or errored). */
  readonly completedCases: number;
  readonly failedCases: number;
  readonly erroredCases: number;
}

/** One evaluation run of a dataset version. */
export interface Run {
  readonly id: string;
  readonly datasetId: string;
  readonly datasetVersion: number;
  readonly status: RunStatus;
  readonly label: string;
  readonly llmJudge: boolean;
  readonly progress: RunProgress;
  /** Aggregates over completed cases (set when the run stops). */
  readonly metrics: readonly MetricSummary[];
  readonly judgeAgreement: readonly JudgeAgreement[];
  /** Why the run failed; empty otherwise. */
  readonly error: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly startedAt: string;
  /** Empty until the run stops. */
  readonly finishedAt: string;
}

/** One draft field the seller edited, as the feedback event carried it. */
export interface CandidateDraftEdit {
  readonly draftId: string;
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

/** A case proposed from negative feedback, waiting for review. */
export interface CandidateCase {
  readonly id: string;
  readonly tenant: string;
  /** Feedback event id; one candidate per feedback id. */
  readonly feedbackId: string;
  readonly conversationId: string;
  readonly messageId: string;
  readonly userId: string;
  readonly question: string;
  readonly answer: string;
  readonly comment: string;
  readonly correctedAnswer: string;
  readonly toolCalls: readonly ActualToolCall[];
  /** The seller's edits to drafts of the rated turn (redacted upstream). */
  readonly draftEdits: readonly CandidateDraftEdit[];
  readonly proposedCase: EvalCase;
  readonly accepted: boolean;
  readonly createdAt: string;
}
