export {
  createAuthorizer,
  type Authorizer,
  type AuthorizerOptions,
  type PolicySource,
  type ReloadEvent,
  type TeamDirectory,
} from './authorizer.js';
export type { AuthzRequest } from './authz-request.js';
export type { Explanation, SubjectEvaluation } from './decide.js';
export {
  DEFAULT_DENY,
  type Decision,
  type DocumentClassesDecision,
  type TerritoryScope,
  type TerritoryScopeDecision,
} from './decision.js';
export {
  DOCUMENT_CLASSES,
  isDocumentClass,
  type DocumentClass,
} from './document-classes.js';
export type { PolicyWatch } from './file-watcher.js';
export {
  DEFAULT_MODEL_PATH,
  DEFAULT_POLICY_PATH,
  parseModel,
} from './model.js';
export { assertTenantPolicyEdit } from './policy-edit.js';
export {
  formatPolicyLine,
  parsePolicyText,
  validatePolicyRows,
  type InheritanceLine,
  type PermissionLine,
  type PolicyLine,
} from './policy-lines.js';
export {
  authzPrincipalSchema,
  type Actor,
  type ActorPurpose,
  type AuthzPrincipal,
} from './principal.js';
export {
  createRedisPolicyWatcher,
  type RedisPolicyWatcher,
  type RedisPolicyWatcherOptions,
} from './redis-watcher.js';
export { canonicalRoutePath, type CanonicalPath } from './route-path.js';
export {
  HUMAN_ROLES,
  ROLES,
  SERVICE_ROLES,
  isRole,
  isServiceRole,
  type HumanRole,
  type Role,
  type ServiceRole,
} from './roles.js';
export {
  HTTP_METHODS,
  ROUTES,
  type HttpMethod,
  type RouteSpec,
} from './routes.js';
export {
  TOOLS,
  isToolName,
  type ToolDescriptor,
  type ToolName,
} from './tools.js';
