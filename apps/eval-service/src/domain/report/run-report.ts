import type { RunComparison } from '../compare/compare-runs.js';
import type { ThresholdResult } from '../compare/thresholds.js';
import { RAW_METRICS } from '../metrics/score-case.js';
import type { CaseResult, Run } from '../model.js';
import { escapeHtml, formatNumber, htmlDocument, table } from './html.js';
import { histogram, horizontalBarChart } from './svg-charts.js';

/** What a run report shows. */
export interface RunReportInput {
  readonly run: Run;
  readonly results: readonly CaseResult[];
  readonly datasetName: string;
  readonly thresholds?: readonly ThresholdResult[];
  /** A comparison with a baseline, shown as a section when given. */
  readonly comparison?: RunComparison;
}

/**
 * Renders a self-contained HTML report of one run: summary, thresholds,
 * aggregate table, inline SVG charts (score distributions, per-tool
 * accuracy, latency histogram), the comparison when given, and every
 * failed or errored case with its transcript. All text is HTML-escaped.
 */
export function renderRunReport(input: RunReportInput): string {
  const { run, results } = input;
  const failing = results.filter((r) => r.outcome !== 'passed');
  const body = [
    `<h1>Evaluation run ${escapeHtml(run.id)}</h1>`,
    `<p>Dataset <b>${escapeHtml(input.datasetName)}</b> v${run.datasetVersion} · status <b>${escapeHtml(run.status)}</b>` +
      (run.label ? ` · label ${escapeHtml(run.label)}` : '') +
      ` · ${run.progress.completedCases}/${run.progress.totalCases} cases · ` +
      `<span class="fail">${run.progress.failedCases} failed</span> · ` +
      `<span class="warn">${run.progress.erroredCases} errored</span> · started ${escapeHtml(run.startedAt)}</p>`,
    run.error ? `<p class="fail">Run error: ${escapeHtml(run.error)}</p>` : '',
    input.thresholds ? thresholdSection(input.thresholds) : '',
    metricsSection(run),
    chartsSection(results),
    input.comparison ? comparisonSection(input.comparison) : '',
    `<h2>Failing cases (${failing.length})</h2>`,
    failing.length === 0
      ? '<p class="pass">Every case passed.</p>'
      : failing.map(caseDetails).join(''),
    judgeSection(run, results),
  ].join('\n');
  return htmlDocument(`Eval run ${run.id}`, body);
}

function thresholdSection(results: readonly ThresholdResult[]): string {
  return `<h2>Thresholds</h2>${table(
    ['metric', 'bound', 'actual', 'result'],
    results.map((r) => [
      r.threshold.metric,
      [
        r.threshold.min !== undefined ? `≥ ${r.threshold.min}` : '',
        r.threshold.max !== undefined ? `≤ ${r.threshold.max}` : '',
      ]
        .filter(Boolean)
        .join(' and '),
      r.actual === undefined ? 'not measured' : formatNumber(r.actual),
      {
        html: r.passed
          ? '<span class="pass">pass</span>'
          : '<span class="fail">FAIL</span>',
      },
    ]),
  )}`;
}

function metricsSection(run: Run): string {
  return `<h2>Metrics</h2>${table(
    ['metric', 'mean', 'min', 'max', 'p95', 'cases', 'pass rate'],
    run.metrics.map((m) => [
      m.name,
      m.mean,
      m.min,
      m.max,
      m.p95,
      m.count,
      m.passRate === undefined ? '–' : `${(m.passRate * 100).toFixed(1)}%`,
    ]),
  )}`;
}

function chartsSection(results: readonly CaseResult[]): string {
  const scoreNames = [
    ...new Set(results.flatMap((r) => r.metrics.map((m) => m.name))),
  ]
    .filter((n) => !RAW_METRICS.has(n))
    .sort();
  const distributions = scoreNames.map((name) =>
    histogram(
      `${name} distribution`,
      results.flatMap((r) =>
        r.metrics.filter((m) => m.name === name).map((m) => m.value),
      ),
      { bins: 5, min: 0, max: 1 },
    ),
  );
  const latencies = results.flatMap((r) =>
    r.metrics.filter((m) => m.name === 'latency_ms').map((m) => m.value),
  );
  const charts = [
    ...distributions,
    horizontalBarChart(
      'Per-tool accuracy (expected tool called)',
      perToolAccuracy(results),
      {
        max: 1,
        format: (v) => `${Math.round(v * 100)}%`,
      },
    ),
    histogram('Latency (ms)', latencies, {
      bins: 10,
      min: 0,
      max: Math.max(1, ...latencies),
    }),
  ];
  return `<h2>Charts</h2><div class="charts">${charts.map((c) => `<div class="chart">${c}</div>`).join('')}</div>`;
}

/** Share of cases expecting each tool in which the agent called it. */
export function perToolAccuracy(
  results: readonly CaseResult[],
): { label: string; value: number }[] {
  const stats = new Map<string, { expected: number; called: number }>();
  for (const result of results) {
    const selection = result.metrics.find((m) => m.name === 'tool_selection');
    const details = selection?.details as
      { expected?: string[]; missing?: string[] } | undefined;
    for (const tool of details?.expected ?? []) {
      const s = stats.get(tool) ?? { expected: 0, called: 0 };
      s.expected += 1;
      if (!(details?.missing ?? []).includes(tool)) s.called += 1;
      stats.set(tool, s);
    }
  }
  return [...stats.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([label, s]) => ({ label, value: s.called / s.expected }));
}

/** A failing case with its transcript, tool calls, citations and failed checks. */
export function caseDetails(result: CaseResult): string {
  const turn = result.turn;
  const failed = result.metrics.filter((m) => m.passed === false);
  const parts = [
    `<details open><summary>${escapeHtml(result.caseId)} — <span class="${result.outcome === 'errored' ? 'warn' : 'fail'}">${escapeHtml(result.outcome)}</span></summary>`,
  ];
  if (result.outcome === 'errored') {
    parts.push(
      `<p class="warn">${escapeHtml(result.errorCode ?? '')}: ${escapeHtml(result.error ?? '')}</p>`,
    );
  }
  if (failed.length > 0) {
    parts.push(
      table(
        ['failed check', 'value', 'why'],
        failed.map((m) => [m.name, m.value, m.explanation]),
      ),
    );
  }
  const transcript = turn?.transcript ?? [
    { role: 'user' as const, content: result.question },
    ...(turn ? [{ role: 'assistant' as const, content: turn.answer }] : []),
  ];
  parts.push('<h3>Transcript</h3>');
  for (const message of transcript) {
    parts.push(
      `<p class="muted">${escapeHtml(message.role)}</p><pre>${escapeHtml(message.content)}</pre>`,
    );
  }
  if (turn && turn.toolCalls.length > 0) {
    parts.push(
      '<h3>Tool calls</h3>' +
        table(
          ['tool', 'status', 'arguments'],
          turn.toolCalls.map((c) => [
            c.name,
            c.status,
            JSON.stringify(c.arguments),
          ]),
        ),
    );
  }
  if (turn && turn.citations.length > 0) {
    parts.push(
      '<h3>Citations</h3>' +
        table(
          ['#', 'document', 'chunk', 'title', 'snippet'],
          turn.citations.map((c, i) => [
            String(i + 1),
            c.documentId,
            c.chunkId,
            c.title,
            c.snippet,
          ]),
        ),
    );
  }
  parts.push('</details>');
  return parts.join('');
}

function judgeSection(run: Run, results: readonly CaseResult[]): string {
  if (!run.llmJudge) return '';
  const flaky = results.flatMap((r) =>
    (r.judgeVerdicts ?? [])
      .filter((v) => v.flaky)
      .map(
        (v) =>
          [r.caseId, v.criterion, v.scores.join(', '), v.variance] as const,
      ),
  );
  const agreement = run.judgeAgreement.map((a) => [
    a.criterion,
    a.pairs,
    a.weightedKappa === null ? 'n/a' : a.weightedKappa.toFixed(3),
    a.spearman === null ? 'n/a' : a.spearman.toFixed(3),
  ]);
  return [
    '<h2>LLM judge</h2>',
    `<h3>Flaky verdicts (${flaky.length})</h3>`,
    flaky.length === 0
      ? '<p>None.</p>'
      : table(
          ['case', 'criterion', 'scores', 'variance'],
          flaky.map((f) => [...f]),
        ),
    '<h3>Agreement with human labels</h3>',
    agreement.length === 0
      ? '<p>No human labels in this dataset.</p>'
      : table(['criterion', 'pairs', 'weighted kappa', 'Spearman'], agreement),
  ].join('');
}

/** The comparison tables (aggregate deltas, outcome and case regressions, improvements). */
export function comparisonSection(comparison: RunComparison): string {
  const verdict = comparison.hasRegressions
    ? '<p class="fail">Regressions found.</p>'
    : '<p class="pass">No regression beyond the tolerance.</p>';
  const caseRows = (deltas: RunComparison['regressions']) =>
    deltas.map((d) => [
      d.caseId,
      d.metric,
      d.base,
      d.candidate,
      d.flipped ? 'pass flipped' : 'score change',
    ]);
  return [
    `<h2>Comparison with ${escapeHtml(comparison.baseRunId)} (tolerance ${comparison.tolerance})</h2>`,
    verdict,
    horizontalBarChart(
      'Score change per metric (candidate − base, absolute)',
      comparison.metrics
        .filter((m) => !RAW_METRICS.has(m.metric))
        .map((m) => ({ label: m.metric, value: Math.abs(m.delta) })),
      { max: 1, format: (v) => v.toFixed(3) },
    ),
    table(
      ['metric', 'base', 'candidate', 'delta', 'regressed'],
      comparison.metrics.map((m) => [
        m.metric,
        m.base,
        m.candidate,
        `${m.delta >= 0 ? '+' : ''}${formatNumber(m.delta)}`,
        { html: m.regressed ? '<span class="fail">yes</span>' : 'no' },
      ]),
    ),
    `<h3>Cases that passed and no longer do (${comparison.outcomeRegressions.length})</h3>`,
    table(
      ['case', 'base', 'candidate'],
      comparison.outcomeRegressions.map((o) => [o.caseId, o.base, o.candidate]),
    ),
    `<h3>Case metric regressions (${comparison.regressions.length})</h3>`,
    table(
      ['case', 'metric', 'base', 'candidate', 'kind'],
      caseRows(comparison.regressions),
    ),
    `<h3>Improvements (${comparison.improvements.length})</h3>`,
    table(
      ['case', 'metric', 'base', 'candidate', 'kind'],
      caseRows(comparison.improvements),
    ),
  ].join('');
}
