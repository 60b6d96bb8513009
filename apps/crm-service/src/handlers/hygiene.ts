import { NotFoundError } from '@fieldwise/errors';
import {
  CrmEntityType,
  OpportunityStage,
  UseCaseStage,
  type CrmServiceService,
  type MissingFieldsAlert as MissingFieldsMessage,
  type Opportunity,
  type UseCase,
} from '@fieldwise/contracts';
import type { ServiceHandlers } from '@fieldwise/grpc';
import { z } from 'zod';
import {
  hygieneAlerts,
  resolveAccess,
  type HygieneAlerts,
  type MissingFieldsAlert,
  type PastCloseDateAlert,
  type UseCaseAlert,
} from '../domain/index.js';
import { idSchema } from '../domain/functions/common-inputs.js';
import { parseInput } from '../domain/validation.js';
import { money } from './encode-records.js';
import {
  entityToProto,
  opportunityStageToProto,
  useCaseStageToProto,
} from './enum-maps.js';
import { scopeOf, type CrmHandlerDeps } from './handler-deps.js';
import { optionalNumber, optionalText } from './request-fields.js';

type HygieneHandlers = Pick<
  ServiceHandlers<typeof CrmServiceService>,
  'getHygieneAlerts'
>;

/** The most the domain lists per alert; filters apply within it. */
const DOMAIN_LIMIT = 500;

const requestSchema = z.object({
  horizonDays: z.number().int().min(1).max(365),
  limit: z.number().int().min(1).max(200),
  accountId: idSchema.optional(),
  ownerUserId: idSchema.optional(),
});

/**
 * Pipeline hygiene over the caller's visible accounts. Alert lists carry
 * the fields the domain's alerts hold (ids, names, stage, dates, revenue,
 * blocker); `version` is 0 there: read the record (GetUseCase,
 * GetOpportunity) before writing to it.
 */
export function hygieneHandlers(deps: CrmHandlerDeps): HygieneHandlers {
  const { crm } = deps;
  return {
    async getHygieneAlerts(request, ctx) {
      const input = parseInput(requestSchema, {
        horizonDays: optionalNumber(request.horizonDays) ?? 90,
        limit: optionalNumber(request.limit) ?? 20,
        accountId: optionalText(request.accountId),
        ownerUserId: optionalText(request.ownerUserId),
      });
      const scope = scopeOf(ctx);
      const filtered =
        input.accountId !== undefined || input.ownerUserId !== undefined;
      const alerts = await hygieneAlerts(crm, scope, {
        horizonDays: input.horizonDays,
        limit: filtered ? DOMAIN_LIMIT : input.limit,
      });
      const access = await resolveAccess(crm.store, scope);
      // Missing-field alerts name opportunities and use cases without their
      // account; narrowing needs the account of each, listed once.
      const accountOf = filtered
        ? await entityAccounts(deps, access)
        : new Map<string, string>();
      const keep = filtered
        ? await accountFilter(deps, access, input)
        : () => true;
      const take = <T>(
        items: readonly T[],
        account: (t: T) => string | undefined,
      ): T[] => items.filter((t) => keep(account(t))).slice(0, input.limit);
      const goingLive = take(alerts.goingLive.items, (u) => u.accountId);
      const missing = take(alerts.missingFields.items, (m) =>
        m.entity === 'account' ? m.id : accountOf.get(m.id),
      );
      if (!filtered) {
        // Only the returned page needs its accounts: point reads.
        const found = await Promise.all(
          missing.map(async (m) =>
            m.entity === 'opportunity'
              ? (await crm.store.getOpportunity(access, m.id))?.accountId
              : m.entity === 'use_case'
                ? (await crm.store.getUseCase(access, m.id))?.accountId
                : m.id,
          ),
        );
        missing.forEach((m, i) => {
          const accountId = found[i];
          if (accountId !== undefined) accountOf.set(m.id, accountId);
        });
      }
      return {
        asOf: alerts.today,
        horizonDays: input.horizonDays,
        goingLive: goingLive.map(encodeAlertUseCase),
        topBlockers: topBlockers(alerts, filtered ? goingLive : undefined),
        missingSponsor: take(
          alerts.missingExecutiveSponsor.items,
          (u) => u.accountId,
        ).map(encodeAlertUseCase),
        missingFields: missing.map((m) =>
          encodeMissing(m, m.entity === 'account' ? m.id : accountOf.get(m.id)),
        ),
        pastCloseDate: take(
          alerts.pastCloseDates.items,
          (o) => o.accountId,
        ).map(encodePastClose),
      };
    },
  };
}

type Access = Awaited<ReturnType<typeof resolveAccess>>;

/** Opportunity and open use-case id → account id, over the caller's scope. */
async function entityAccounts(
  deps: CrmHandlerDeps,
  access: Access,
): Promise<Map<string, string>> {
  const [opportunities, useCases] = await Promise.all([
    deps.crm.store.listOpportunities(access, { openOnly: true }),
    deps.crm.store.listUseCases(access, { live: false }),
  ]);
  return new Map(
    [...opportunities, ...useCases].map((r) => [r.id, r.accountId]),
  );
}

/**
 * Which accounts the request narrows to: one visible account (NOT_FOUND
 * otherwise, like every read) and/or the accounts one owner holds.
 */
async function accountFilter(
  deps: CrmHandlerDeps,
  access: Access,
  input: { accountId?: string | undefined; ownerUserId?: string | undefined },
): Promise<(accountId: string | undefined) => boolean> {
  if (input.accountId !== undefined) {
    const account = await deps.crm.store.getAccount(access, input.accountId);
    if (!account) throw new NotFoundError('account', input.accountId);
    if (
      input.ownerUserId !== undefined &&
      account.ownerId !== input.ownerUserId
    ) {
      return () => false;
    }
    return (id) => id === account.id;
  }
  const owned = new Set(
    (await deps.crm.store.listAccountIndex(access))
      .filter((a) => a.ownerId === input.ownerUserId)
      .map((a) => a.id),
  );
  return (id) => id !== undefined && owned.has(id);
}

function encodeAlertUseCase(u: UseCaseAlert): UseCase {
  return {
    id: u.useCaseId,
    accountId: u.accountId,
    opportunityId: '',
    name: u.name,
    category: u.name,
    description: '',
    productLine: u.productLine,
    cloud: '',
    stage: useCaseStageToProto(u.stage) ?? UseCaseStage.UNSPECIFIED,
    goLiveDate: u.goLiveDate ?? '',
    annualRevenue: money(u.estMonthlyRevenueUsd * 12),
    executiveSponsorContactId: '',
    executiveSponsorName: '',
    blockers: u.blockers === null ? [] : [u.blockers],
    ownerUserId: '',
    version: 0,
    updatedAt: '',
  };
}

function encodeMissing(
  m: MissingFieldsAlert,
  accountId: string | undefined,
): MissingFieldsMessage {
  return {
    // The contract has no account entity type: account alerts are UNSPECIFIED with entity_id = account_id.
    entityType:
      m.entity === 'account'
        ? CrmEntityType.UNSPECIFIED
        : entityToProto(m.entity),
    entityId: m.id,
    name: m.name,
    accountId: accountId ?? '',
    missingFields: [...m.missing],
  };
}

function encodePastClose(o: PastCloseDateAlert): Opportunity {
  return {
    id: o.opportunityId,
    accountId: o.accountId,
    name: o.name,
    stage: opportunityStageToProto(o.stage) ?? OpportunityStage.UNSPECIFIED,
    closeDate: o.closeDate,
    probability: 0,
    ownerUserId: o.ownerId ?? '',
    nextStep: '',
    productLines: [],
    competitors: [],
    version: 0,
    updatedAt: '',
  };
}

/**
 * Blockers over all open use cases (the domain's aggregate), or, when the
 * request narrows to an account or owner, over the narrowed going-live list.
 */
function topBlockers(
  alerts: HygieneAlerts,
  narrowed?: readonly UseCaseAlert[],
) {
  if (narrowed === undefined) {
    return alerts.topBlockers.map((b) => ({
      blocker: b.blocker,
      useCaseCount: b.count,
      revenueAtRisk: money(b.estMonthlyRevenueUsd * 12),
      useCaseIds: [],
    }));
  }
  const byBlocker = new Map<string, UseCaseAlert[]>();
  for (const u of narrowed) {
    if (u.blockers === null) continue;
    byBlocker.set(u.blockers, [...(byBlocker.get(u.blockers) ?? []), u]);
  }
  return [...byBlocker]
    .map(([blocker, list]) => ({
      blocker,
      useCaseCount: list.length,
      revenueAtRisk: money(
        list.reduce((s, u) => s + u.estMonthlyRevenueUsd, 0) * 12,
      ),
      useCaseIds: list.map((u) => u.useCaseId),
    }))
    .sort(
      (a, b) =>
        b.useCaseCount - a.useCaseCount || a.blocker.localeCompare(b.blocker),
    );
}
