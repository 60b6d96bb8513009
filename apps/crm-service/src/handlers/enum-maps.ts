import {
  CrmEntityType,
  EmailKind,
  OpportunityStage,
  SupportCaseStatus,
  SupportSeverity,
  UseCaseStage,
} from '@fieldwise/contracts';
import type { UpdatableEntity } from '../adapters/store/port.js';
import type {
  OpportunityStage as DomainOpportunityStage,
  Severity,
  UseCaseStage as DomainUseCaseStage,
} from '../domain/model.js';

/** Proto opportunity stage → domain stage (one to one). */
export const OPPORTUNITY_STAGE_FROM_PROTO: ReadonlyMap<
  number,
  DomainOpportunityStage
> = new Map([
  [OpportunityStage.PROSPECTING, 'Prospecting'],
  [OpportunityStage.QUALIFICATION, 'Qualification'],
  [OpportunityStage.DISCOVERY, 'Discovery'],
  [OpportunityStage.PROPOSAL, 'Proposal'],
  [OpportunityStage.NEGOTIATION, 'Negotiation'],
  [OpportunityStage.CLOSED_WON, 'Closed Won'],
  [OpportunityStage.CLOSED_LOST, 'Closed Lost'],
]);

/**
 * Proto use-case stage → domain stage. The GOLD model has no "lost" use
 * case (a lost one is `Paused` or deleted), so `LOST` maps to nothing and
 * is rejected on writes.
 */
export const USE_CASE_STAGE_FROM_PROTO: ReadonlyMap<
  number,
  DomainUseCaseStage
> = new Map([
  [UseCaseStage.DISCOVERY, 'Scoping'],
  [UseCaseStage.EVALUATION, 'Technical Validation'],
  [UseCaseStage.IMPLEMENTATION, 'Implementation'],
  [UseCaseStage.LIVE, 'Live'],
  [UseCaseStage.ON_HOLD, 'Paused'],
]);

/** Proto severity → domain severity. */
export const SEVERITY_FROM_PROTO: ReadonlyMap<number, Severity> = new Map([
  [SupportSeverity.SEV1, 'S1'],
  [SupportSeverity.SEV2, 'S2'],
  [SupportSeverity.SEV3, 'S3'],
  [SupportSeverity.SEV4, 'S4'],
]);

/** Proto entity type → the domain's updatable entity. */
export const ENTITY_FROM_PROTO: ReadonlyMap<number, UpdatableEntity> = new Map<
  number,
  UpdatableEntity
>([
  [CrmEntityType.OPPORTUNITY, 'opportunity'],
  [CrmEntityType.USE_CASE, 'use_case'],
]);

/** Proto email kind → the domain's kind. */
export const EMAIL_KIND_FROM_PROTO: ReadonlyMap<
  number,
  'prospecting' | 'follow-up'
> = new Map([
  [EmailKind.PROSPECTING, 'prospecting'],
  [EmailKind.FOLLOW_UP, 'follow-up'],
]);

function invert<K, V>(map: ReadonlyMap<K, V>): Map<V, K> {
  return new Map([...map].map(([k, v]) => [v, k]));
}

const OPPORTUNITY_STAGE_TO_PROTO = invert(OPPORTUNITY_STAGE_FROM_PROTO);
const USE_CASE_STAGE_TO_PROTO = invert(USE_CASE_STAGE_FROM_PROTO);
const SEVERITY_TO_PROTO = invert(SEVERITY_FROM_PROTO);
const EMAIL_KIND_TO_PROTO = invert(EMAIL_KIND_FROM_PROTO);

/** Domain opportunity stage → proto (UNSPECIFIED for a stage the contract lacks). */
export function opportunityStageToProto(stage: string): OpportunityStage {
  return (
    OPPORTUNITY_STAGE_TO_PROTO.get(stage as DomainOpportunityStage) ??
    OpportunityStage.UNSPECIFIED
  );
}

/** Domain use-case stage → proto. */
export function useCaseStageToProto(stage: string): UseCaseStage {
  return (
    USE_CASE_STAGE_TO_PROTO.get(stage as DomainUseCaseStage) ??
    UseCaseStage.UNSPECIFIED
  );
}

/** Domain severity → proto. */
export function severityToProto(severity: string): SupportSeverity {
  return (
    SEVERITY_TO_PROTO.get(severity as Severity) ?? SupportSeverity.UNSPECIFIED
  );
}

/** Domain support-case status → proto (`Pending Customer` is PENDING). */
export function caseStatusToProto(status: string): SupportCaseStatus {
  switch (status) {
    case 'Open':
      return SupportCaseStatus.OPEN;
    case 'Pending Customer':
      return SupportCaseStatus.PENDING;
    case 'Closed':
      return SupportCaseStatus.CLOSED;
    default:
      return SupportCaseStatus.UNSPECIFIED;
  }
}

/** Domain email kind → proto. */
export function emailKindToProto(kind: string): EmailKind {
  return (
    EMAIL_KIND_TO_PROTO.get(kind as 'prospecting' | 'follow-up') ??
    EmailKind.UNSPECIFIED
  );
}

/** Domain entity → proto entity type. */
export function entityToProto(entity: string): CrmEntityType {
  if (entity === 'opportunity') return CrmEntityType.OPPORTUNITY;
  if (entity === 'use_case') return CrmEntityType.USE_CASE;
  return CrmEntityType.UNSPECIFIED;
}
