export {
  resolveAccess,
  callerScopeSchema,
  type CallerScope,
} from './access/caller-scope.js';
export {
  account360,
  account360InputSchema,
  type Account360,
  type ConsumptionBreakdown,
} from './functions/account-360.js';
export {
  consumptionSeries,
  consumptionSeriesInputSchema,
  type ConsumptionSeries,
  type ConsumptionSeriesResult,
} from './functions/consumption-series.js';
export type { SeriesPoint } from './functions/consumption-math.js';
export {
  createEmailDraft,
  createEmailDraftInputSchema,
} from './functions/create-email-draft.js';
export {
  createProposal,
  createProposalInputSchema,
} from './functions/create-proposal.js';
export { type CrmDeps } from './functions/deps.js';
export {
  findAccounts,
  findAccountsInputSchema,
  type AccountMatch,
  type FindAccountsResult,
} from './functions/find-accounts.js';
export {
  hygieneAlerts,
  hygieneAlertsInputSchema,
  type AlertList,
  type HygieneAlerts,
  type MissingFieldsAlert,
  type PastCloseDateAlert,
  type UseCaseAlert,
} from './functions/hygiene-alerts.js';
export {
  similarCustomers,
  similarCustomersInputSchema,
  type SimilarCustomer,
  type SimilarCustomersResult,
  type UseCaseRecommendation,
} from './functions/similar-customers.js';
export {
  supportCases,
  supportCasesInputSchema,
  type SupportCasesResult,
} from './functions/support-cases.js';
export {
  updateField,
  updateFieldInputSchema,
  UPDATABLE_FIELDS,
} from './functions/update-field.js';
export {
  DEFAULT_REFERENCE_DATE,
  DEFAULT_SEED,
  datasetDigest,
  generateGoldDataset,
  type GeneratorOptions,
} from './generator/generate.js';
export {
  importCrmExport,
  type ImportDeps,
  type ImportInput,
} from './import/import-crm-export.js';
export {
  renderImportReportMarkdown,
  type ImportReport,
} from './import/import-report.js';
export { readExportFile, type RawRow } from './import/raw-export.js';
export { parseDomainVocabulary, type DomainVocabulary } from './vocabulary.js';
export type {
  AccessScope,
  AccountRecord,
  EmailDraftRecord,
  GoldDataset,
  OpportunityRecord,
  ProposalRecord,
  UseCaseRecord,
} from './model.js';
