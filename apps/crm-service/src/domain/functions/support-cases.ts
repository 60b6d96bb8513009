import { NotFoundError } from '@fieldwise/errors';
import { z } from 'zod';
import { resolveAccess, type CallerScope } from '../access/caller-scope.js';
import { addDays } from '../generator/calendar.js';
import { SEVERITIES, type Severity, type SupportCaseRecord } from '../model.js';
import { parseInput } from '../validation.js';
import { idSchema } from './common-inputs.js';
import { today, type CrmDeps } from './deps.js';

/** Input of {@link supportCases}. */
export const supportCasesInputSchema = z.object({
  accountId: idSchema,
  status: z.enum(['open', 'all']).default('open'),
  /** Only cases opened in the last N days. */
  sinceDays: z.number().int().min(1).max(3650).optional(),
});

/** Support cases of an account, most severe first, with counts per severity. */
export interface SupportCasesResult {
  readonly accountId: string;
  readonly countsBySeverity: Readonly<Record<Severity, number>>;
  readonly items: readonly SupportCaseRecord[];
}

/** Open (or all recent) support cases of a visible account. */
export async function supportCases(
  deps: CrmDeps,
  scope: CallerScope,
  input: z.input<typeof supportCasesInputSchema>,
): Promise<SupportCasesResult> {
  const parsed = parseInput(supportCasesInputSchema, input);
  const access = await resolveAccess(deps.store, scope);
  const account = await deps.store.getAccount(access, parsed.accountId);
  if (!account) throw new NotFoundError('account', parsed.accountId);
  const items = await deps.store.listSupportCases(access, {
    accountId: account.id,
    openOnly: parsed.status === 'open',
    ...(parsed.sinceDays === undefined
      ? {}
      : {
          openedSince: `${addDays(today(deps), -parsed.sinceDays)}T00:00:00.000Z`,
        }),
  });
  const countsBySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, 0]),
  ) as Record<Severity, number>;
  for (const c of items) countsBySeverity[c.severity] += 1;
  return { accountId: account.id, countsBySeverity, items };
}
