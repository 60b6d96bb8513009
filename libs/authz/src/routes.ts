import type { Role } from './roles.js';

/** An HTTP method a route can be called with. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The HTTP methods a policy line may name (plus `*`). */
export const HTTP_METHODS: readonly HttpMethod[] = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
];

/** One public gateway route and the roles the default policy lets call it. */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** keyMatch2 pattern, as registered in the gateway (`:id` is one segment). */
  readonly path: string;
  readonly description: string;
  /** Roles the shipped policy allows, each acting alone in its own tenant. */
  readonly roles: readonly Role[];
}

const ASSISTANT_USERS = ['seller', 'manager', 'admin'] as const;
const EVALUATORS = ['admin', 'service:eval'] as const;

/** Every role that signs in may ask who it is. */
const EVERYBODY_SIGNED_IN = [
  ...ASSISTANT_USERS,
  'auditor',
  'content-manager',
  'partner',
  'service:eval',
] as const;

/**
 * The public API and who may call it under the shipped policy. This is the
 * intended matrix: the authz tests check the policy against it, and the
 * gateway's matrix test iterates it. Paths are relative to the gateway root.
 */
export const ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/v1/whoami',
    description: 'The caller as the gateway sees it',
    roles: EVERYBODY_SIGNED_IN,
  },
  {
    method: 'POST',
    path: '/v1/whoami',
    description: 'The caller as the gateway sees it (service named in a body)',
    roles: EVERYBODY_SIGNED_IN,
  },
  {
    method: 'GET',
    path: '/v1/models',
    description: 'The model behind the assistant (offline planner or provider)',
    roles: [...ASSISTANT_USERS, 'service:eval'],
  },
  {
    method: 'POST',
    path: '/v1/chat',
    description: 'Ask the assistant (JSON or SSE)',
    roles: ASSISTANT_USERS,
  },
  {
    method: 'GET',
    path: '/v1/conversations',
    description: "The caller's conversations",
    roles: ASSISTANT_USERS,
  },
  {
    method: 'GET',
    path: '/v1/conversations/:id',
    description: 'One conversation with its turns',
    roles: ASSISTANT_USERS,
  },
  {
    method: 'POST',
    path: '/v1/actions/:id/confirm',
    description: 'Confirm a pending write action',
    roles: ASSISTANT_USERS,
  },
  {
    method: 'POST',
    path: '/v1/actions/:id/reject',
    description: 'Reject a pending write action',
    roles: ASSISTANT_USERS,
  },
  {
    method: 'GET',
    path: '/v1/accounts',
    description: 'Search or list visible accounts',
    roles: ASSISTANT_USERS,
  },
  {
    method: 'GET',
    path: '/v1/accounts/:id',
    description: 'Account 360 view',
    roles: ASSISTANT_USERS,
  },
  {
    method: 'GET',
    path: '/v1/accounts/:id/consumption',
    description: 'Consumption by month, product line and cloud',
    roles: ASSISTANT_USERS,
  },
  {
    method: 'GET',
    path: '/v1/accounts/:id/similar',
    description: 'Use cases live at similar customers',
    roles: ASSISTANT_USERS,
  },
  {
    method: 'GET',
    path: '/v1/alerts/hygiene',
    description: 'Pipeline hygiene alerts',
    roles: ASSISTANT_USERS,
  },
  {
    method: 'GET',
    path: '/v1/collateral/search',
    description: 'Hybrid search over collateral the caller may see',
    roles: [...ASSISTANT_USERS, 'content-manager', 'partner'],
  },
  {
    method: 'POST',
    path: '/v1/feedback',
    description: 'Thumbs up or down on an answer',
    roles: ASSISTANT_USERS,
  },
  {
    method: 'GET',
    path: '/v1/documents',
    description: 'List ingested collateral',
    roles: ['content-manager'],
  },
  {
    method: 'POST',
    path: '/v1/documents',
    description: 'Ingest a collateral document',
    roles: ['content-manager'],
  },
  {
    method: 'DELETE',
    path: '/v1/documents/:id',
    description: 'Delete a collateral document',
    roles: ['content-manager'],
  },
  {
    method: 'GET',
    path: '/v1/audit/events',
    description: "Audit metadata and redacted payloads of the caller's tenant",
    roles: ['auditor'],
  },
  {
    method: 'GET',
    path: '/v1/policy',
    description: 'The effective policy of the tenant',
    roles: ['admin', 'auditor'],
  },
  {
    method: 'PUT',
    path: '/v1/policy',
    description: "Replace the tenant's policy lines",
    roles: ['admin'],
  },
  {
    method: 'GET',
    path: '/v1/evals/runs',
    description: 'List evaluation runs',
    roles: EVALUATORS,
  },
  {
    method: 'POST',
    path: '/v1/evals/runs',
    description: 'Start an evaluation run',
    roles: EVALUATORS,
  },
  {
    method: 'GET',
    path: '/v1/evals/runs/:id',
    description: 'One evaluation run with metrics',
    roles: EVALUATORS,
  },
  {
    method: 'GET',
    path: '/v1/evals/runs/:id/report',
    description: 'HTML report of a run',
    roles: EVALUATORS,
  },
  {
    method: 'GET',
    path: '/v1/evals/datasets',
    description: 'Evaluation datasets',
    roles: EVALUATORS,
  },
];
