export {
  EvalCaseSchema,
  ExpectedToolsSchema,
  ExpectedToolSchema,
  ArgumentRuleSchema,
  CaseUserSchema,
  CaseRequestSchema,
  HumanLabelsSchema,
  FormatExpectationsSchema,
  caseTurns,
  type EvalCase,
  type EvalCaseInput,
  type ExpectedTools,
  type ExpectedTool,
  type ArgumentRule,
  type CaseUser,
  type CaseRequest,
  type HumanLabels,
} from './dataset/eval-case.js';
export {
  parseCasesJsonl,
  exportCasesJsonl,
  canonicalJson,
  type ParsedCases,
  type ImportLineError,
} from './dataset/jsonl.js';
export { contentHash } from './dataset/content-hash.js';
export {
  importDataset,
  resolveDatasetVersion,
  type ImportDatasetInput,
  type ImportDatasetResult,
} from './dataset/import-dataset.js';
export { exportDataset } from './dataset/export-dataset.js';
export {
  acceptCandidateCase,
  type AcceptCandidateInput,
} from './dataset/accept-candidate.js';
export type { EvalDeps } from './deps.js';
export type {
  Dataset,
  DatasetVersion,
  AgentTurn,
  ActualToolCall,
  AnswerCitation,
  RetrievedChunk,
  ToolResultContent,
  TranscriptMessage,
  ToolCallStatus,
  MetricValue,
  MetricSummary,
  CaseResult,
  CaseOutcome,
  Run,
  RunStatus,
  RunProgress,
  JudgeCriterion,
  JudgeKind,
  JudgeVerdictSummary,
  JudgeAgreement,
  CandidateCase,
} from './model.js';
export type { AgentRunner } from './run/agent-runner.js';
export {
  createRun,
  executeRun,
  resumeRun,
  continueRun,
  type RunDeps,
  type StartRunInput,
  type ExecuteOptions,
  type RunOutcome,
  type RunProgressEvent,
} from './run/execute-run.js';
export { forEachBounded } from './run/bounded-pool.js';
export { scoreCase, RAW_METRICS } from './metrics/score-case.js';
export {
  scoreToolSelection,
  scoreToolOrder,
} from './metrics/tool-selection.js';
export {
  scoreArgumentCorrectness,
  matchesRule,
} from './metrics/argument-correctness.js';
export { scoreRequiredFacts, scoreForbiddenFacts } from './metrics/facts.js';
export {
  scoreCitationValidity,
  checkCitation,
} from './metrics/citation-validity.js';
export {
  scoreGroundedness,
  type GroundednessOptions,
} from './metrics/groundedness.js';
export { scoreFormatAdherence } from './metrics/format-adherence.js';
export { containsFact, tokenize, splitSentences } from './metrics/normalize.js';
export {
  summarizeMetrics,
  progressOf,
  percentile,
} from './metrics/aggregate.js';
export type { Judge, JudgePrompt, JudgeVerdict } from './judge/judge-port.js';
export {
  buildRubricPrompt,
  parseJudgeReply,
  JUDGE_CRITERIA,
} from './judge/rubrics.js';
export {
  judgeCase,
  summarizeScores,
  type JudgeSettings,
} from './judge/run-judge.js';
export { judgeAgreement, weightedKappa, spearman } from './judge/agreement.js';
export {
  compareRuns,
  compareStoredRuns,
  type RunComparison,
  type MetricDelta,
  type CaseDelta,
  type OutcomeChange,
  type RunWithResults,
} from './compare/compare-runs.js';
export {
  evaluateThresholds,
  parseThresholdList,
  type Threshold,
  type ThresholdResult,
} from './compare/thresholds.js';
export { renderRunReport, type RunReportInput } from './report/run-report.js';
export {
  renderComparisonReport,
  type ComparisonReportInput,
} from './report/comparison-report.js';
export { escapeHtml } from './report/html.js';
