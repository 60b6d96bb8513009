import { createHash, randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '@fieldwise/errors';
import { z } from 'zod';
import type { InsertResult } from '../../adapters/store/port.js';
import { resolveAccess, type CallerScope } from '../access/caller-scope.js';
import type { AccountRecord, ProposalRecord, UseCaseRecord } from '../model.js';
import { parseInput } from '../validation.js';
import { idempotencyKeySchema, idSchema } from './common-inputs.js';
import { productLineName, type CrmDeps } from './deps.js';
import { escapeHtml, escapeMarkdown } from './html-escape.js';

/** Input of {@link createProposal}. */
export const createProposalInputSchema = z.object({
  accountId: idSchema,
  title: z.string().trim().min(1).max(200).optional(),
  useCaseIds: z.array(idSchema).max(20).default([]),
  productLines: z.array(z.string().min(1).max(64)).max(10).default([]),
  template: z.enum(['standard', 'executive-brief']).default('standard'),
  idempotencyKey: idempotencyKeySchema.optional(),
});

/** One rendered section: a heading and paragraphs or bullet items. */
interface Section {
  readonly heading: string;
  readonly paragraphs: readonly string[];
  readonly bullets: readonly string[];
}

const usd = (n: number): string => `$${Math.round(n).toLocaleString('en-US')}`;

/**
 * Builds a customer-facing proposal for a visible account from its data,
 * the chosen use cases (which must belong to it) and product lines (which
 * must exist), renders it as Markdown and HTML (every value escaped), and
 * stores it. Out-of-scope accounts are PERMISSION_DENIED.
 */
export async function createProposal(
  deps: CrmDeps,
  scope: CallerScope,
  input: z.input<typeof createProposalInputSchema>,
): Promise<InsertResult<ProposalRecord>> {
  const parsed = parseInput(createProposalInputSchema, input);
  const known = new Set(deps.vocabulary.productLines.map((p) => p.id));
  const unknown = parsed.productLines.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    throw new ValidationError([
      {
        field: 'productLines',
        message: `unknown product lines: ${unknown.join(', ')}`,
      },
    ]);
  }
  const access = await resolveAccess(deps.store, scope);
  await deps.store.checkAccountWrite(access, parsed.accountId);
  const account = await deps.store.getAccount(access, parsed.accountId);
  if (!account) throw new NotFoundError('account', parsed.accountId);
  const accountUseCases = await deps.store.listUseCases(access, {
    accountId: account.id,
  });
  const chosen = parsed.useCaseIds.map((id) => {
    const useCase = accountUseCases.find((u) => u.id === id);
    if (!useCase) throw new NotFoundError('use_case', id);
    return useCase;
  });
  const productLines = [
    ...new Set([...parsed.productLines, ...chosen.map((u) => u.productLine)]),
  ];
  const title =
    parsed.title ?? `${deps.vocabulary.vendor} proposal for ${account.name}`;
  const sections = buildSections(
    deps,
    account,
    chosen,
    productLines,
    parsed.template,
  );
  const createdAt = deps.clock().toISOString();
  const record: ProposalRecord = {
    id: `prop-${(deps.newId ?? randomUUID)()}`,
    tenantId: access.tenant,
    accountId: account.id,
    authorId: access.userId,
    title,
    markdown: renderMarkdown(title, sections),
    html: renderHtml(title, sections),
    createdAt,
  };
  const idempotency = parsed.idempotencyKey
    ? {
        key: parsed.idempotencyKey,
        requestHash: createHash('sha256')
          .update(
            JSON.stringify([
              'proposal',
              parsed.accountId,
              parsed.title,
              parsed.useCaseIds,
              parsed.productLines,
              parsed.template,
            ]),
          )
          .digest('hex'),
      }
    : undefined;
  return deps.store.insertProposal(access, record, idempotency);
}

function buildSections(
  deps: CrmDeps,
  account: AccountRecord,
  useCases: readonly UseCaseRecord[],
  productLines: readonly string[],
  template: 'standard' | 'executive-brief',
): Section[] {
  const monthly = useCases.reduce((sum, u) => sum + u.estMonthlyRevenueUsd, 0);
  const sections: Section[] = [
    {
      heading: 'About you',
      paragraphs: [
        `${account.name}${account.industry ? ` (${account.industry})` : ''}${account.employees ? `, about ${account.employees.toLocaleString('en-US')} employees` : ''}.`,
      ],
      bullets: [],
    },
    {
      heading: 'Proposed use cases',
      paragraphs:
        useCases.length === 0
          ? ['To be defined together in a discovery workshop.']
          : [],
      bullets: useCases.map(
        (u) =>
          `${u.name} — ${productLineName(deps, u.productLine)}${u.goLiveDate ? `, target go-live ${u.goLiveDate}` : ''}`,
      ),
    },
    {
      heading: 'Products',
      paragraphs: [],
      bullets: productLines.map((id) => {
        const line = deps.vocabulary.productLines.find((p) => p.id === id);
        return line ? `${line.name}: ${line.summary}` : id;
      }),
    },
  ];
  if (template === 'standard') {
    sections.push({
      heading: 'Investment',
      paragraphs: [
        useCases.length > 0
          ? `Estimated consumption for the proposed use cases: ${usd(monthly)} per month (${usd(monthly * 12)} per year).`
          : 'Pricing follows the agreed consumption rates.',
      ],
      bullets: [],
    });
  }
  sections.push({
    heading: 'Next steps',
    paragraphs: [],
    bullets: [
      'Confirm scope and success criteria',
      'Agree on a timeline and an executive sponsor',
      'Sign the order form',
    ],
  });
  return sections;
}

function renderMarkdown(title: string, sections: readonly Section[]): string {
  const lines = [`# ${escapeMarkdown(title)}`, ''];
  for (const s of sections) {
    lines.push(`## ${escapeMarkdown(s.heading)}`, '');
    for (const p of s.paragraphs) lines.push(escapeMarkdown(p), '');
    for (const b of s.bullets) lines.push(`- ${escapeMarkdown(b)}`);
    if (s.bullets.length > 0) lines.push('');
  }
  return lines.join('\n');
}

function renderHtml(title: string, sections: readonly Section[]): string {
  const parts = [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
  ];
  for (const s of sections) {
    parts.push(`<h2>${escapeHtml(s.heading)}</h2>`);
    for (const p of s.paragraphs) parts.push(`<p>${escapeHtml(p)}</p>`);
    if (s.bullets.length > 0) {
      parts.push(
        `<ul>${s.bullets.map((b) => `<li>${escapeHtml(b)}</li>`).join('')}</ul>`,
      );
    }
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
