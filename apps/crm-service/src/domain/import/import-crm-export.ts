import type { Logger } from 'pino';
import type { CrmStore } from '../../adapters/store/port.js';
import {
  nameSimilarity,
  normalizeDomain,
  normalizeName,
} from '../functions/fuzzy-match.js';
import type { AccountRecord, OpportunityRecord, UserRecord } from '../model.js';
import type {
  ChangeKind,
  ImportChange,
  ImportRejection,
  ImportReport,
  RejectionKind,
} from './import-report.js';
import {
  COUNTRY_TERRITORIES,
  forecastForStage,
  normalizeCountry,
  normalizeCurrency,
  normalizeForecast,
  normalizeIndustry,
  normalizeStage,
  parseAmount,
  parseDate,
  segmentForEmployees,
} from './normalize.js';
import type { RawRow } from './raw-export.js';

/** What an import needs. */
export interface ImportDeps {
  readonly store: CrmStore;
  readonly logger: Logger;
  readonly clock: () => Date;
}

/** Raw rows of both exports, with the names of their sources. */
export interface ImportInput {
  readonly tenant: string;
  readonly industries: readonly string[];
  readonly accounts: {
    readonly source: string;
    readonly rows: readonly RawRow[];
  };
  readonly opportunities: {
    readonly source: string;
    readonly rows: readonly RawRow[];
  };
}

const SOURCE_ID = /^[A-Za-z0-9]{3,18}$/;

interface Survivor {
  record: AccountRecord;
  readonly rawId: string;
  readonly normalizedName: string;
  /** False when the row matched an account already in GOLD (not re-upserted). */
  readonly imported: boolean;
}

/**
 * Cleans raw Salesforce-style Account and Opportunity exports and loads them
 * into GOLD through the store: deduplicates accounts (by website domain or
 * normalized name, also against GOLD), normalizes stages, currencies, dates,
 * amounts, countries and industries, assigns missing owners to the
 * territory's default owner, and returns a report in which every input row
 * is either loaded, merged (with the row it merged into) or rejected (with
 * the reason). Nothing is dropped silently.
 */
export async function importCrmExport(
  deps: ImportDeps,
  input: ImportInput,
): Promise<ImportReport> {
  const tenant = await deps.store.getTenant(input.tenant);
  if (!tenant) throw new TypeError(`Unknown tenant '${input.tenant}'`);
  const admin = {
    tenant: tenant.id,
    userId: 'import',
    territories: 'all' as const,
  };
  const [users, territories, existing] = await Promise.all([
    deps.store.listUsers(tenant.id),
    deps.store.listTerritories(tenant.id),
    deps.store.listAccountIndex(admin),
  ]);
  const owners = users.filter(
    (u) => u.role === 'seller' || u.role === 'manager',
  );
  const ownerByKey = new Map<string, UserRecord>();
  for (const u of owners) {
    ownerByKey.set(u.id.toLowerCase(), u);
    ownerByKey.set(u.email.toLowerCase(), u);
  }
  const defaultOwner = new Map(
    territories.map((t) => [t.id, t.defaultOwnerId]),
  );
  const tenantTerritories = new Set(territories.map((t) => t.id));
  const now = deps.clock().toISOString();
  const changes: ImportChange[] = [];
  const rejected: ImportRejection[] = [];
  const change = (
    entity: ImportChange['entity'],
    row: RawRow,
    sourceId: string,
    kind: ChangeKind,
    field: string,
    before: string,
    after: string,
    reason: string,
  ): void => {
    changes.push({
      entity,
      rowRef: row.ref,
      sourceId,
      kind,
      field,
      before,
      after,
      reason,
    });
  };
  const reject = (
    entity: ImportRejection['entity'],
    row: RawRow,
    sourceId: string,
    kind: RejectionKind,
    reason: string,
  ): void => {
    rejected.push({ entity, rowRef: row.ref, sourceId, kind, reason });
  };

  // 1. Accounts: validate, normalize, then merge duplicates into the first row seen.
  const survivors: Survivor[] = [];
  const accountIdMap = new Map<
    string,
    { id: string; territoryId: string; viaMerge: string | null }
  >();
  const existingByDomain = new Map(
    existing.filter((e) => e.domain).map((e) => [e.domain?.toLowerCase(), e]),
  );
  let merged = 0;
  let matchedExisting = 0;
  const seenAccountIds = new Set<string>();
  for (const row of input.accounts.rows) {
    const f = row.fields;
    const rawId = (f['Id'] ?? '').trim();
    if (!SOURCE_ID.test(rawId)) {
      reject(
        'account',
        row,
        rawId,
        'invalid_id',
        `Id '${rawId}' is not a Salesforce record id`,
      );
      continue;
    }
    if (seenAccountIds.has(rawId)) {
      reject(
        'account',
        row,
        rawId,
        'duplicate_id',
        `Id '${rawId}' appears earlier in the export`,
      );
      continue;
    }
    seenAccountIds.add(rawId);
    // A row's own fixes are reported only if it is loaded as a new account;
    // a merged or matched row is reported once, as the merge.
    const rowChanges: ImportChange[] = [];
    const note = (
      kind: ChangeKind,
      field: string,
      before: string,
      after: string,
      reason: string,
    ): void => {
      rowChanges.push({
        entity: 'account',
        rowRef: row.ref,
        sourceId: rawId,
        kind,
        field,
        before,
        after,
        reason,
      });
    };
    const name = (f['Name'] ?? '').trim().replace(/\s+/g, ' ');
    if (name === '') {
      reject('account', row, rawId, 'missing_name', 'Account has no Name');
      continue;
    }
    const rawCountry = (f['BillingCountry'] ?? '').trim();
    const country = normalizeCountry(rawCountry);
    const candidates = country
      ? (COUNTRY_TERRITORIES[country] ?? []).filter((t) =>
          tenantTerritories.has(t),
        )
      : [];
    if (!country || candidates.length === 0) {
      reject(
        'account',
        row,
        rawId,
        'unknown_country',
        `BillingCountry '${rawCountry}' maps to no territory of this tenant`,
      );
      continue;
    }
    if (rawCountry !== country) {
      note(
        'country_normalized',
        'BillingCountry',
        rawCountry,
        country,
        'country name normalized to ISO 3166 code',
      );
    }
    const ownerKey = (f['OwnerId'] || f['Owner.Email'] || '')
      .trim()
      .toLowerCase();
    const owner = ownerKey === '' ? undefined : ownerByKey.get(ownerKey);
    const territoryId =
      candidates.find((t) => owner?.territories.includes(t)) ??
      candidates[0] ??
      '';
    let ownerId = owner?.id ?? null;
    if (!owner) {
      ownerId = defaultOwner.get(territoryId) ?? null;
      note(
        'owner_defaulted',
        'OwnerId',
        ownerKey,
        ownerId ?? '',
        ownerKey === ''
          ? 'no owner in the export; territory default owner assigned'
          : `owner '${ownerKey}' is not a seller of this tenant; territory default owner assigned`,
      );
    }
    const website = (f['Website'] ?? '').trim();
    const domain = website === '' ? null : normalizeDomain(website);
    const rawIndustry = (f['Industry'] ?? '').trim();
    let industry: string | null = null;
    if (rawIndustry !== '') {
      industry = normalizeIndustry(rawIndustry, input.industries) ?? null;
      if (industry === null) {
        note(
          'industry_unknown',
          'Industry',
          rawIndustry,
          '',
          'industry not in the vocabulary; left empty',
        );
      } else if (industry !== rawIndustry) {
        note(
          'industry_normalized',
          'Industry',
          rawIndustry,
          industry,
          'industry mapped onto the vocabulary',
        );
      }
    }
    const rawEmployees = (f['NumberOfEmployees'] ?? '').trim();
    let employees: number | null = null;
    if (rawEmployees !== '') {
      const parsed = parseAmount(rawEmployees);
      if (parsed === undefined || !Number.isInteger(parsed.value)) {
        note(
          'employees_invalid',
          'NumberOfEmployees',
          rawEmployees,
          '',
          'not a head count; left empty',
        );
      } else {
        employees = parsed.value;
        if (parsed.reformatted) {
          note(
            'employees_parsed',
            'NumberOfEmployees',
            rawEmployees,
            String(employees),
            'separators or suffix removed',
          );
        }
      }
    }
    const rawRevenue = (f['AnnualRevenue'] ?? '').trim();
    let arrUsd = 0;
    if (rawRevenue !== '') {
      const parsed = parseAmount(rawRevenue);
      if (parsed === undefined) {
        note(
          'amount_missing',
          'AnnualRevenue',
          rawRevenue,
          '0',
          'not an amount; ARR set to 0',
        );
      } else {
        arrUsd = Math.round(parsed.value);
        if (parsed.reformatted) {
          note(
            'amount_parsed',
            'AnnualRevenue',
            rawRevenue,
            String(arrUsd),
            'separators, symbol or suffix removed',
          );
        }
      }
    }
    const rawCreated = (f['CreatedDate'] ?? '').trim();
    let createdAt: string | null = null;
    if (rawCreated !== '') {
      const parsed = parseDate(rawCreated);
      if (!parsed) {
        note(
          'date_invalid',
          'CreatedDate',
          rawCreated,
          '',
          'unreadable date; left empty',
        );
      } else {
        createdAt = parsed.iso;
        if (
          parsed.reformatted &&
          rawCreated.length !== 10 &&
          /^\d{4}-/.test(rawCreated)
        ) {
          // A full ISO timestamp: keeping the day is not a reformat worth reporting.
        } else if (parsed.reformatted) {
          note(
            'date_reformatted',
            'CreatedDate',
            rawCreated,
            parsed.iso,
            'date converted to ISO 8601',
          );
        }
      }
    }
    const record: AccountRecord = {
      id: `acc-${tenant.id}-sf-${rawId.toLowerCase()}`,
      tenantId: tenant.id,
      name,
      domain,
      industry,
      segment: segmentForEmployees(employees),
      employees,
      country,
      accountType: (f['Type'] ?? '').trim() || null,
      territoryId,
      ownerId,
      arrUsd,
      createdAt,
      sourceRef: `salesforce:${rawId}`,
    };
    const normalizedName = normalizeName(name);
    const gold =
      (domain ? existingByDomain.get(domain) : undefined) ??
      existing.find(
        (e) => nameSimilarity(normalizedName, normalizeName(e.name)) === 1,
      );
    if (gold) {
      matchedExisting += 1;
      accountIdMap.set(rawId, {
        id: gold.id,
        territoryId: gold.territoryId,
        viaMerge: null,
      });
      change(
        'account',
        row,
        rawId,
        'matched_existing',
        'Id',
        rawId,
        gold.id,
        `same ${gold.domain === domain ? 'domain' : 'name'} as existing account '${gold.name}'; GOLD record kept`,
      );
      continue;
    }
    const twin = survivors.find(
      (s) =>
        (domain !== null && s.record.domain === domain) ||
        s.normalizedName === normalizedName,
    );
    if (twin) {
      merged += 1;
      twin.record = fillGaps(twin.record, record);
      accountIdMap.set(rawId, {
        id: twin.record.id,
        territoryId: twin.record.territoryId,
        viaMerge: twin.rawId,
      });
      change(
        'account',
        row,
        rawId,
        'duplicate_merged',
        'Id',
        rawId,
        twin.rawId,
        `duplicate of ${twin.rawId} by ${domain !== null && twin.record.domain === domain ? 'website domain' : 'normalized name'}; missing fields filled from this row`,
      );
      continue;
    }
    changes.push(...rowChanges);
    survivors.push({ record, rawId, normalizedName, imported: true });
    accountIdMap.set(rawId, { id: record.id, territoryId, viaMerge: null });
  }

  // 2. Opportunities.
  const opportunities: OpportunityRecord[] = [];
  const seenOpportunityIds = new Set<string>();
  for (const row of input.opportunities.rows) {
    const f = row.fields;
    const rawId = (f['Id'] ?? '').trim();
    if (!SOURCE_ID.test(rawId)) {
      reject(
        'opportunity',
        row,
        rawId,
        'invalid_id',
        `Id '${rawId}' is not a Salesforce record id`,
      );
      continue;
    }
    if (seenOpportunityIds.has(rawId)) {
      reject(
        'opportunity',
        row,
        rawId,
        'duplicate_id',
        `Id '${rawId}' appears earlier in the export`,
      );
      continue;
    }
    seenOpportunityIds.add(rawId);
    const name = (f['Name'] ?? '').trim().replace(/\s+/g, ' ');
    if (name === '') {
      reject(
        'opportunity',
        row,
        rawId,
        'missing_name',
        'Opportunity has no Name',
      );
      continue;
    }
    const rawAccount = (f['AccountId'] ?? '').trim();
    const account = accountIdMap.get(rawAccount);
    if (!account) {
      reject(
        'opportunity',
        row,
        rawId,
        'unknown_account',
        `AccountId '${rawAccount}' is not a loaded account of this export`,
      );
      continue;
    }
    const rawStage = (f['StageName'] ?? '').trim();
    const stage = normalizeStage(rawStage);
    if (!stage) {
      reject(
        'opportunity',
        row,
        rawId,
        'unknown_stage',
        `StageName '${rawStage}' is not a known stage`,
      );
      continue;
    }
    const rawAmount = (f['Amount'] ?? '').trim();
    let amountCents: number | null = null;
    let amountCurrency: string | undefined;
    const pending: (() => void)[] = [];
    if (rawAmount === '') {
      pending.push(() =>
        change(
          'opportunity',
          row,
          rawId,
          'amount_missing',
          'Amount',
          '',
          '',
          'no amount in the export; left empty',
        ),
      );
    } else {
      const parsed = parseAmount(rawAmount);
      if (!parsed) {
        reject(
          'opportunity',
          row,
          rawId,
          'invalid_amount',
          `Amount '${rawAmount}' is not a non-negative amount`,
        );
        continue;
      }
      amountCents = Math.round(parsed.value * 100);
      amountCurrency = parsed.currency;
      if (parsed.reformatted) {
        pending.push(() =>
          change(
            'opportunity',
            row,
            rawId,
            'amount_parsed',
            'Amount',
            rawAmount,
            (amountCents! / 100).toFixed(2),
            'separators, symbol or suffix removed',
          ),
        );
      }
    }
    const rawClose = (f['CloseDate'] ?? '').trim();
    const close = parseDate(rawClose);
    if (!close) {
      reject(
        'opportunity',
        row,
        rawId,
        'invalid_close_date',
        `CloseDate '${rawClose}' is not a date`,
      );
      continue;
    }
    const rawCurrency = (f['CurrencyIsoCode'] ?? '').trim();
    let currency: string;
    if (rawCurrency === '') {
      currency = amountCurrency ?? tenant.defaultCurrency;
      pending.push(() =>
        change(
          'opportunity',
          row,
          rawId,
          'currency_defaulted',
          'CurrencyIsoCode',
          '',
          currency,
          amountCurrency
            ? 'no currency; taken from the amount symbol'
            : 'no currency; tenant default assumed',
        ),
      );
    } else {
      const normalized = normalizeCurrency(rawCurrency);
      if (!normalized) {
        reject(
          'opportunity',
          row,
          rawId,
          'unknown_currency',
          `CurrencyIsoCode '${rawCurrency}' is not a supported currency`,
        );
        continue;
      }
      currency = normalized;
      if (normalized !== rawCurrency) {
        pending.push(() =>
          change(
            'opportunity',
            row,
            rawId,
            'currency_normalized',
            'CurrencyIsoCode',
            rawCurrency,
            normalized,
            'currency symbol or case normalized',
          ),
        );
      }
    }
    if (stage !== rawStage) {
      change(
        'opportunity',
        row,
        rawId,
        'stage_normalized',
        'StageName',
        rawStage,
        stage,
        'stage mapped to the canonical pipeline',
      );
    }
    for (const record of pending) record();
    if (close.reformatted) {
      change(
        'opportunity',
        row,
        rawId,
        'date_reformatted',
        'CloseDate',
        rawClose,
        close.iso,
        'date converted to ISO 8601',
      );
    }
    const rawForecast = (f['ForecastCategoryName'] ?? '').trim();
    let forecast = normalizeForecast(rawForecast);
    if (!forecast) {
      forecast = forecastForStage(stage);
      change(
        'opportunity',
        row,
        rawId,
        'forecast_derived',
        'ForecastCategoryName',
        rawForecast,
        forecast,
        'missing or unknown forecast category; derived from the stage',
      );
    }
    if (account.viaMerge !== null) {
      change(
        'opportunity',
        row,
        rawId,
        'account_remapped',
        'AccountId',
        rawAccount,
        account.viaMerge,
        'its account was merged into a duplicate',
      );
    }
    const ownerKey = (f['OwnerId'] ?? '').trim().toLowerCase();
    let ownerId = ownerKey === '' ? undefined : ownerByKey.get(ownerKey)?.id;
    if (!ownerId) {
      ownerId = defaultOwner.get(account.territoryId) ?? undefined;
      change(
        'opportunity',
        row,
        rawId,
        'owner_defaulted',
        'OwnerId',
        ownerKey,
        ownerId ?? '',
        ownerKey === ''
          ? 'no owner in the export; territory default owner assigned'
          : `owner '${ownerKey}' is not a seller of this tenant; territory default owner assigned`,
      );
    }
    opportunities.push({
      id: `opp-${tenant.id}-sf-${rawId.toLowerCase()}`,
      tenantId: tenant.id,
      accountId: account.id,
      name,
      stage,
      amountCents,
      currency,
      closeDate: close.iso,
      forecastCategory: forecast,
      nextStep: (f['NextStep'] ?? '').trim() || null,
      ownerId: ownerId ?? null,
      version: 1,
      updatedAt: now,
      sourceRef: `salesforce:${rawId}`,
    });
  }

  // 3. Load, then report.
  const accounts = survivors.filter((s) => s.imported).map((s) => s.record);
  await deps.store.upsertImport({ accounts, opportunities });
  deps.logger.info(
    {
      tenant: tenant.id,
      accounts: accounts.length,
      opportunities: opportunities.length,
      rejected: rejected.length,
    },
    'crm import loaded',
  );
  const count = <K extends string>(
    items: readonly { kind: K }[],
  ): Partial<Record<K, number>> => {
    const out: Partial<Record<K, number>> = {};
    for (const item of items) out[item.kind] = (out[item.kind] ?? 0) + 1;
    return out;
  };
  return {
    tenant: tenant.id,
    generatedAt: now,
    sources: {
      accounts: input.accounts.source,
      opportunities: input.opportunities.source,
    },
    totals: {
      accountsRead: input.accounts.rows.length,
      accountsLoaded: accounts.length,
      accountsMerged: merged,
      accountsMatchedExisting: matchedExisting,
      accountsRejected: rejected.filter((r) => r.entity === 'account').length,
      opportunitiesRead: input.opportunities.rows.length,
      opportunitiesLoaded: opportunities.length,
      opportunitiesRejected: rejected.filter((r) => r.entity === 'opportunity')
        .length,
    },
    countsByKind: { changes: count(changes), rejected: count(rejected) },
    changes,
    rejected,
  };
}

/** The survivor with its empty fields filled from a duplicate. */
function fillGaps(
  survivor: AccountRecord,
  duplicate: AccountRecord,
): AccountRecord {
  return {
    ...survivor,
    domain: survivor.domain ?? duplicate.domain,
    industry: survivor.industry ?? duplicate.industry,
    employees: survivor.employees ?? duplicate.employees,
    segment: survivor.segment ?? duplicate.segment,
    createdAt: survivor.createdAt ?? duplicate.createdAt,
    arrUsd: survivor.arrUsd > 0 ? survivor.arrUsd : duplicate.arrUsd,
  };
}
