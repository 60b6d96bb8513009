import {
  day,
  enumLabel,
  growth,
  list,
  money,
  num,
  obj,
  str,
} from './answer-format.js';
import type { TurnToolCall } from './conversation-state.js';
import { collateralAnswer, type CitedChunk } from './collateral-answer.js';
import { notFoundText } from './plan-turn.js';

/** The composed answer and the retrieved chunks its `[n]` markers refer to. */
export interface ComposedAnswer {
  readonly text: string;
  readonly citations: readonly CitedChunk[];
}

/**
 * Writes the final answer from this turn's tool results, one template per
 * tool, over the data the agent's tools return (the CRM contract's JSON).
 * Figures are printed as the tools returned them (money from micros,
 * growth fractions as percentages); collateral facts are quoted from
 * retrieved chunks with `[n]` markers that map to the "Sources" list;
 * withheld or flagged content is never quoted.
 */
export function composeAnswer(
  message: string,
  calls: readonly TurnToolCall[],
): ComposedAnswer {
  const parts: string[] = [];
  const citations: CitedChunk[] = [];
  const lookupOnly = calls.every((c) => c.name === 'find_accounts');
  for (const call of calls) {
    const result = call.result;
    if (result === undefined) continue;
    if (result.error !== undefined) {
      parts.push(`I couldn't complete ${label(call.name)}: ${result.error}`);
      continue;
    }
    if (call.name === 'search_collateral') {
      parts.push(
        collateralAnswer(message, result.value, result.untrusted, citations),
      );
      continue;
    }
    if (result.untrusted) {
      parts.push(
        `The ${label(call.name)} result was withheld because it may contain injected instructions; I did not act on it.`,
      );
      continue;
    }
    if (call.name === 'find_accounts' && !lookupOnly) {
      if (list(obj(result.value).accounts).length === 0) {
        const query =
          typeof call.arguments.query === 'string' ? call.arguments.query : '';
        parts.push(notFoundText(query));
      }
      continue;
    }
    const pending = obj(obj(result.value).pendingConfirmation);
    if (Object.keys(pending).length > 0) {
      parts.push(pendingAction(call.name, pending));
      continue;
    }
    parts.push(
      TEMPLATES[call.name]?.(result.value) ?? generic(call.name, result.value),
    );
  }
  if (parts.length === 0) parts.push('I have no results to answer from.');
  let text = parts.filter((p) => p !== '').join('\n\n');
  if (citations.length > 0) {
    text += `\n\nSources:\n${citations.map(sourceLine).join('\n')}`;
  }
  return { text, citations };
}

function sourceLine(c: CitedChunk): string {
  const where = `${c.title}${c.section ? ` — ${c.section}` : ''}`;
  if (c.chunkId === undefined) return `[${c.marker}] ${where}`;
  const quote =
    c.quote !== undefined && !c.quote.includes('"') ? ` "${c.quote}"` : '';
  return `[${c.marker}] ${where} [source: ${c.chunkId}${quote}]`;
}

function label(tool: string): string {
  return tool.replace(/_/g, ' ');
}

const TEMPLATES: Readonly<Record<string, (value: unknown) => string>> = {
  find_accounts: accountsList,
  account_360: account360,
  product_consumption: consumption,
  support_cases: supportCases,
  similar_customers: similarCustomers,
  hygiene_alerts: hygiene,
  summarize_meeting: meetingSummary,
};

function accountsList(value: unknown): string {
  const items = list(obj(value).accounts).map((m) => obj(obj(m).account));
  if (items.length === 0) return 'No accounts you can see match that.';
  const lines = items.slice(0, 10).map((a) => {
    const details = [
      str(a.territory),
      str(a.industry),
      obj(a.arr).currencyCode !== undefined ? `ARR ${money(a.arr)}` : undefined,
      str(a.ownerName) ? `owner ${str(a.ownerName) ?? ''}` : undefined,
    ].filter(Boolean);
    return `- ${str(a.name) ?? '?'} (${str(a.id) ?? '?'})${details.length ? `: ${details.join(', ')}` : ''}`;
  });
  return `Accounts found (${items.length}):\n${lines.join('\n')}`;
}

function severityCounts(value: unknown): string {
  return list(value)
    .map(obj)
    .map((s) => `${enumLabel(s.severity)} ${String(num(s.count) ?? 0)}`)
    .join(', ');
}

function opportunityLine(o: Record<string, unknown>): string {
  const extras = [
    `${enumLabel(o.stage)}`,
    money(o.amount),
    `closes ${str(o.closeDate) ?? 'n/a'}`,
    num(o.probability) !== undefined
      ? `${String(num(o.probability))}% probability`
      : undefined,
    str(o.nextStep) ? `next step: ${str(o.nextStep) ?? ''}` : undefined,
  ].filter(Boolean);
  return `${str(o.name) ?? '?'} (${extras.join(', ')})`;
}

function useCaseLine(u: Record<string, unknown>): string {
  return `${str(u.name) ?? '?'} (${str(u.productLine) ?? '?'}, ${enumLabel(u.stage)}, ${money(u.annualRevenue)}/year, go-live ${str(u.goLiveDate) ?? 'n/a'})`;
}

function account360(value: unknown): string {
  const v = obj(value);
  const summary = obj(obj(v.profile).summary);
  const profile = [
    str(summary.industry),
    str(summary.segment),
    str(summary.territory),
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    `**${str(summary.name) ?? 'Account'}**${profile ? ` (${profile})` : ''}${str(summary.id) ? ` — ${str(summary.id) ?? ''}` : ''}${str(v.asOf) ? `, as of ${str(v.asOf) ?? ''}` : ''}.`,
  ];
  const owner = obj(v.owner);
  const ownerName = str(owner.name) ?? str(summary.ownerName);
  if (ownerName)
    lines.push(
      `Owner: ${ownerName}${str(owner.email) ? ` (${str(owner.email) ?? ''})` : ''}.`,
    );
  if (v.arr !== undefined) lines.push(`ARR: ${money(v.arr)}.`);
  const slices = list(v.consumption).map(obj);
  const byLine = slices.filter((s) => str(s.productLine) !== undefined);
  if (byLine.length) {
    lines.push(
      `Consumption last month by product line: ${byLine
        .map(
          (s) =>
            `${str(s.productLine) ?? '?'} ${money(s.lastMonth)} (MoM ${growth(s.momGrowth)}, YoY ${growth(s.yoyGrowth)})`,
        )
        .join('; ')}.`,
    );
  }
  const byCloud = slices.filter((s) => str(s.cloud) !== undefined);
  if (byCloud.length) {
    lines.push(
      `By cloud: ${byCloud.map((s) => `${str(s.cloud) ?? '?'} ${money(s.lastMonth)}`).join('; ')}.`,
    );
  }
  const opps = list(v.openOpportunities).map(obj);
  lines.push(
    opps.length
      ? `Open opportunities (${opps.length}): ${opps.map(opportunityLine).join('; ')}.`
      : 'No open opportunities.',
  );
  const ucs = list(v.topUseCases).map(obj);
  if (ucs.length)
    lines.push(`Top use cases: ${ucs.map(useCaseLine).join('; ')}.`);
  const cases = list(v.openSupportCases).map(obj);
  lines.push(
    `Open support cases: ${severityCounts(v.openCasesBySeverity) || String(cases.length)}${
      cases.length
        ? ` — ${cases
            .slice(0, 5)
            .map((c) => `[${enumLabel(c.severity)}] ${str(c.subject) ?? '?'}`)
            .join('; ')}`
        : ''
    }.`,
  );
  const competitors = list(v.competitors).map(obj);
  if (competitors.length) {
    lines.push(
      `Competitors present: ${competitors.map((c) => `${str(c.competitor) ?? '?'}${str(c.notes) ? ` (${str(c.notes) ?? ''})` : ''}`).join('; ')}.`,
    );
  }
  const news = list(v.recentNews).map(obj);
  if (news.length)
    lines.push(
      `Recent news: ${news
        .slice(0, 3)
        .map((n) => `${str(n.title) ?? '?'} (${str(n.publishedOn) ?? 'n/a'})`)
        .join('; ')}.`,
    );
  return lines.join('\n');
}

function consumption(value: unknown): string {
  const v = obj(value);
  const series = list(v.series).map(obj);
  const total = list(v.total).map(obj);
  if (series.length === 0 && total.length === 0)
    return 'No consumption recorded for that account and period.';
  const lines = [
    `Consumption${str(v.accountId) ? ` of ${str(v.accountId) ?? ''}` : ''}:`,
  ];
  const lastOf = (months: Record<string, unknown>[]) =>
    months[months.length - 1];
  const latestTotal = lastOf(total);
  if (latestTotal) {
    lines.push(
      `- Total: ${money(latestTotal.amount)} in ${str(latestTotal.month) ?? '?'} (MoM ${growth(latestTotal.momGrowth)}, YoY ${growth(latestTotal.yoyGrowth)})`,
    );
  }
  const ranked = series
    .map((s) => ({ s, months: list(s.months).map(obj) }))
    .sort(
      (a, b) =>
        (num(obj(lastOf(b.months)?.amount).amountMicros) ?? 0) -
        (num(obj(lastOf(a.months)?.amount).amountMicros) ?? 0),
    );
  for (const { s, months } of ranked) {
    const last = lastOf(months);
    const name = [str(s.productLine), str(s.cloud)]
      .filter(Boolean)
      .join(' on ');
    const history = months
      .slice(-6)
      .map((p) => `${str(p.month) ?? '?'} ${money(p.amount)}`)
      .join(', ');
    lines.push(
      `- ${name || 'series'}: ${last ? `${money(last.amount)} in ${str(last.month) ?? '?'} (MoM ${growth(last.momGrowth)}, YoY ${growth(last.yoyGrowth)})` : 'no data'}; by month: ${history}`,
    );
  }
  return lines.join('\n');
}

function supportCases(value: unknown): string {
  const v = obj(value);
  const cases = list(v.cases).map(obj);
  const counts = severityCounts(v.openBySeverity);
  const lines = [
    `Support cases: ${cases.length}${counts ? ` (open by severity: ${counts})` : ''}.`,
  ];
  for (const c of cases.slice(0, 10)) {
    lines.push(
      `- [${enumLabel(c.severity)}] ${str(c.subject) ?? '?'} — ${enumLabel(c.status)}, opened ${day(c.openedAt)} (${str(c.id) ?? ''})`,
    );
  }
  if (cases.length === 0) lines.push('No open support cases.');
  return lines.join('\n');
}

function similarCustomers(value: unknown): string {
  const v = obj(value);
  const similar = list(v.similarAccounts).map(obj);
  const lines = [
    similar.length
      ? `Similar customers: ${similar
          .map((s) => {
            const a = obj(s.account);
            const reasons = list(s.reasons).filter(
              (r): r is string => typeof r === 'string',
            );
            return `${str(a.name) ?? '?'}${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
          })
          .join('; ')}.`
      : 'No similar customers found.',
  ];
  const recs = list(v.recommendedUseCases).map(obj);
  if (recs.length) {
    lines.push(
      `Use cases to recommend: ${recs
        .slice(0, 5)
        .map(
          (r) =>
            `${str(r.category) ?? '?'} on ${str(r.productLine) ?? '?'} (${money(r.revenue)}/year at peers${str(r.reason) ? `; ${str(r.reason) ?? ''}` : ''})`,
        )
        .join('; ')}.`,
    );
  }
  return lines.join('\n');
}

function hygiene(value: unknown): string {
  const v = obj(value);
  const section = (
    title: string,
    key: string,
    render: (x: Record<string, unknown>) => string,
  ): string => {
    const items = list(v[key]).map(obj);
    return `${title}: ${items.length}${items.length ? ` — ${items.slice(0, 5).map(render).join('; ')}` : ''}.`;
  };
  const lines = [
    `Hygiene alerts${str(v.asOf) ? ` as of ${str(v.asOf) ?? ''}` : ''}${num(v.horizonDays) !== undefined ? `, next ${String(num(v.horizonDays))} days` : ''}:`,
  ];
  lines.push(
    section(
      'Use cases going live soon',
      'goingLive',
      (u) =>
        `${str(u.name) ?? '?'} (${str(u.accountId) ?? '?'}, go-live ${str(u.goLiveDate) ?? 'n/a'})`,
    ),
  );
  lines.push(
    section(
      'Opportunities past their close date',
      'pastCloseDate',
      (o) =>
        `${str(o.name) ?? '?'} (closed ${str(o.closeDate) ?? 'n/a'}, ${enumLabel(o.stage)})`,
    ),
  );
  lines.push(
    section(
      'Use cases missing an executive sponsor',
      'missingSponsor',
      (u) => `${str(u.name) ?? '?'} (${str(u.accountId) ?? '?'})`,
    ),
  );
  lines.push(
    section(
      'Records missing fields',
      'missingFields',
      (m) => `${str(m.name) ?? '?'} (${list(m.missingFields).join(', ')})`,
    ),
  );
  const blockers = list(v.topBlockers).map(obj);
  if (blockers.length)
    lines.push(
      `Top blockers: ${blockers
        .slice(0, 5)
        .map(
          (b) =>
            `${str(b.blocker) ?? '?'} (${String(num(b.useCaseCount) ?? 0)} use cases, ${money(b.revenueAtRisk)} at risk)`,
        )
        .join('; ')}.`,
    );
  return lines.join('\n');
}

function meetingSummary(value: unknown): string {
  const v = obj(value);
  const lines: string[] = [];
  const text = (i: unknown): string => {
    if (typeof i === 'string') return i;
    const o = obj(i);
    const extras = [
      str(o.owner) ? `owner ${str(o.owner) ?? ''}` : undefined,
      str(o.dueDate) ? `due ${str(o.dueDate) ?? ''}` : undefined,
    ].filter(Boolean);
    return `${str(o.text) ?? ''}${extras.length ? ` (${extras.join(', ')})` : ''}`;
  };
  const summary = Array.isArray(v.summary)
    ? v.summary.map(text).join(' ')
    : str(v.summary);
  if (summary) lines.push(`Summary: ${summary}`);
  for (const [key, title] of [
    ['decisions', 'Decisions'],
    ['actionItems', 'Action items'],
    ['nextSteps', 'Next steps'],
  ] as const) {
    const items = list(v[key]);
    if (items.length)
      lines.push(`${title}:\n${items.map((i) => `- ${text(i)}`).join('\n')}`);
  }
  return lines.length ? lines.join('\n') : generic('summarize_meeting', value);
}

function pendingAction(tool: string, pending: Record<string, unknown>): string {
  const changes = list(pending.changes)
    .map(obj)
    .map(
      (c) =>
        `${str(c.field) ?? '?'}: ${displayValue(c.before)} → ${displayValue(c.after)}`,
    );
  return `I prepared this ${label(tool)} action: ${str(pending.summary) ?? 'a change'}.${changes.length ? `\nChanges:\n${changes.map((c) => `- ${c}`).join('\n')}` : ''}\nNothing has changed yet: it needs your confirmation.`;
}

function displayValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '(empty)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function generic(tool: string, value: unknown): string {
  const v = obj(value);
  const text = Object.entries(v)
    .filter(([, x]) => ['string', 'number', 'boolean'].includes(typeof x))
    .map(([k, x]) => `${k}: ${String(x)}`)
    .join(', ');
  return text ? `${label(tool)}: ${text}` : `${label(tool)} finished.`;
}
