/** What kind of change or rejection; stable names the report counts by. */
export type ChangeKind =
  | 'duplicate_merged'
  | 'matched_existing'
  | 'owner_defaulted'
  | 'industry_normalized'
  | 'industry_unknown'
  | 'employees_parsed'
  | 'employees_invalid'
  | 'amount_parsed'
  | 'amount_missing'
  | 'date_reformatted'
  | 'date_invalid'
  | 'country_normalized'
  | 'stage_normalized'
  | 'currency_normalized'
  | 'currency_defaulted'
  | 'forecast_derived'
  | 'account_remapped';

/** Why a row was not loaded. */
export type RejectionKind =
  | 'missing_name'
  | 'invalid_id'
  | 'duplicate_id'
  | 'unknown_country'
  | 'unknown_account'
  | 'unknown_stage'
  | 'invalid_amount'
  | 'invalid_close_date'
  | 'unknown_currency';

/** A row loaded with a change. */
export interface ImportChange {
  readonly entity: 'account' | 'opportunity';
  readonly rowRef: string;
  readonly sourceId: string;
  readonly kind: ChangeKind;
  readonly field: string;
  readonly before: string;
  readonly after: string;
  readonly reason: string;
}

/** A row not loaded, and why. */
export interface ImportRejection {
  readonly entity: 'account' | 'opportunity';
  readonly rowRef: string;
  readonly sourceId: string;
  readonly kind: RejectionKind;
  readonly reason: string;
}

/** The full account of an import run; every input row is accounted for. */
export interface ImportReport {
  readonly tenant: string;
  readonly generatedAt: string;
  readonly sources: {
    readonly accounts: string;
    readonly opportunities: string;
  };
  readonly totals: {
    readonly accountsRead: number;
    readonly accountsLoaded: number;
    readonly accountsMerged: number;
    readonly accountsMatchedExisting: number;
    readonly accountsRejected: number;
    readonly opportunitiesRead: number;
    readonly opportunitiesLoaded: number;
    readonly opportunitiesRejected: number;
  };
  readonly countsByKind: {
    readonly changes: Readonly<Partial<Record<ChangeKind, number>>>;
    readonly rejected: Readonly<Partial<Record<RejectionKind, number>>>;
  };
  readonly changes: readonly ImportChange[];
  readonly rejected: readonly ImportRejection[];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Renders the report as Markdown for people. */
export function renderImportReportMarkdown(report: ImportReport): string {
  const t = report.totals;
  const lines = [
    `# CRM import report (${report.tenant})`,
    '',
    `Generated ${report.generatedAt} from \`${report.sources.accounts}\` and \`${report.sources.opportunities}\`.`,
    '',
    '| | read | loaded | merged into another row | matched an existing account | rejected |',
    '| --- | --- | --- | --- | --- | --- |',
    `| accounts | ${t.accountsRead} | ${t.accountsLoaded} | ${t.accountsMerged} | ${t.accountsMatchedExisting} | ${t.accountsRejected} |`,
    `| opportunities | ${t.opportunitiesRead} | ${t.opportunitiesLoaded} | | | ${t.opportunitiesRejected} |`,
    '',
    '## Rejected rows',
    '',
    '| row | id | kind | reason |',
    '| --- | --- | --- | --- |',
    ...report.rejected.map(
      (r) =>
        `| ${cell(r.rowRef)} | ${cell(r.sourceId)} | ${r.kind} | ${cell(r.reason)} |`,
    ),
    '',
    '## Changes',
    '',
    '| row | id | kind | field | before | after | reason |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...report.changes.map(
      (c) =>
        `| ${cell(c.rowRef)} | ${cell(c.sourceId)} | ${c.kind} | ${c.field} | ${cell(c.before)} | ${cell(c.after)} | ${cell(c.reason)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
