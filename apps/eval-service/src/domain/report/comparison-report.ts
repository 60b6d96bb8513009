import type { RunComparison } from '../compare/compare-runs.js';
import type { CaseResult, Run } from '../model.js';
import { escapeHtml, htmlDocument } from './html.js';
import { caseDetails, comparisonSection } from './run-report.js';

/** What a comparison report shows. */
export interface ComparisonReportInput {
  readonly base: Run;
  readonly candidate: Run;
  readonly candidateResults: readonly CaseResult[];
  readonly datasetName: string;
  readonly comparison: RunComparison;
}

/**
 * Renders a self-contained HTML report comparing two runs: aggregate
 * deltas with a chart, cases that stopped passing, per-metric case
 * regressions and improvements, and the candidate's transcripts of the
 * regressed cases. All text is HTML-escaped.
 */
export function renderComparisonReport(input: ComparisonReportInput): string {
  const regressed = new Set([
    ...input.comparison.outcomeRegressions.map((o) => o.caseId),
    ...input.comparison.regressions.map((r) => r.caseId),
  ]);
  const cases = input.candidateResults.filter((r) => regressed.has(r.caseId));
  const body = [
    `<h1>Run comparison: ${escapeHtml(input.candidate.id)} vs ${escapeHtml(input.base.id)}</h1>`,
    `<p>Dataset <b>${escapeHtml(input.datasetName)}</b> · base v${input.base.datasetVersion}` +
      (input.base.label ? ` (${escapeHtml(input.base.label)})` : '') +
      ` · candidate v${input.candidate.datasetVersion}` +
      (input.candidate.label ? ` (${escapeHtml(input.candidate.label)})` : '') +
      '</p>',
    comparisonSection(input.comparison),
    `<h2>Regressed cases in the candidate (${cases.length})</h2>`,
    cases.map(caseDetails).join(''),
  ].join('\n');
  return htmlDocument(
    `Eval comparison ${input.candidate.id} vs ${input.base.id}`,
    body,
  );
}
