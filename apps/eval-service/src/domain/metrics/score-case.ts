import type { EvalCase } from '../dataset/eval-case.js';
import type { AgentTurn, MetricValue } from '../model.js';
import { scoreArgumentCorrectness } from './argument-correctness.js';
import { scoreCitationValidity } from './citation-validity.js';
import { scoreRequiredFacts, scoreForbiddenFacts } from './facts.js';
import { scoreFormatAdherence } from './format-adherence.js';
import { scoreGroundedness, type GroundednessOptions } from './groundedness.js';
import { scoreToolOrder, scoreToolSelection } from './tool-selection.js';

/** Metric names whose value is a raw measurement, not a [0, 1] score; higher is worse. */
export const RAW_METRICS: ReadonlySet<string> = new Set([
  'latency_ms',
  'total_tokens',
]);

/**
 * Every deterministic metric of one case's turn, in a stable order. Metrics
 * with nothing to measure (no expected tools, facts or citations) are left
 * out rather than scored as perfect, and so is groundedness when the turn
 * has evidence gaps (tool results the runner could not capture).
 */
export function scoreCase(
  evalCase: EvalCase,
  turn: AgentTurn,
  options: { readonly groundedness?: GroundednessOptions } = {},
): MetricValue[] {
  const metrics: (MetricValue | undefined)[] = [];
  if (evalCase.expectedTools) {
    metrics.push(scoreToolSelection(evalCase.expectedTools, turn.toolCalls));
    if (evalCase.expectedTools.match === 'sequence')
      metrics.push(scoreToolOrder(evalCase.expectedTools, turn.toolCalls));
    metrics.push(
      scoreArgumentCorrectness(evalCase.expectedTools, turn.toolCalls),
    );
  }
  metrics.push(scoreRequiredFacts(turn.answer, evalCase.requiredFacts));
  metrics.push(scoreForbiddenFacts(turn.answer, evalCase.forbiddenFacts));
  metrics.push(
    scoreCitationValidity(
      turn.citations,
      turn.retrieved,
      evalCase.format?.requireCitations ?? false,
    ),
  );
  if ((turn.evidenceGaps ?? []).length === 0)
    metrics.push(scoreGroundedness(turn, options.groundedness));
  metrics.push(
    scoreFormatAdherence(
      turn,
      evalCase.format ? { maxChars: evalCase.format.maxChars } : {},
    ),
  );
  metrics.push({
    name: 'latency_ms',
    value: turn.latencyMs,
    judge: 'deterministic',
    explanation: `${turn.latencyMs} ms`,
  });
  const tokens = turn.usage.inputTokens + turn.usage.outputTokens;
  metrics.push({
    name: 'total_tokens',
    value: tokens,
    judge: 'deterministic',
    explanation: `${turn.usage.inputTokens} in + ${turn.usage.outputTokens} out`,
  });
  return metrics.filter((m): m is MetricValue => m !== undefined);
}
