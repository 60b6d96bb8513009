export {
  findAccountMention,
  judgeMatches,
  nameCandidates,
  type AccountMention,
  type MatchVerdict,
  type NameCandidate,
} from './account-mention.js';
export { parseAmount, parsePercent } from './amounts.js';
export { composeAnswer, type ComposedAnswer } from './answer-templates.js';
export {
  collateralAnswer,
  passages,
  type CitedChunk,
} from './collateral-answer.js';
export {
  parseToolResult,
  readConversation,
  type ConversationState,
  type ParsedToolResult,
  type TurnToolCall,
} from './conversation-state.js';
export {
  DEFAULT_VOCABULARY,
  UPDATABLE_FIELDS,
  findCompetitor,
  findField,
  mentionsForecastCategory,
  stageFor,
  findProductLine,
  findStage,
  type CrmEntity,
  type PlannerVocabulary,
  type ProductLine,
} from './crm-values.js';
export {
  monthsBack,
  parseDate,
  parseHorizonDays,
  parseMonths,
} from './dates.js';
export {
  createCrmEntityResolver,
  rank,
  type CrmEntityResolverDeps,
} from './crm-entity-resolver.js';
export { DEFAULT_TOOL_EXAMPLES } from './default-tool-examples.js';
export {
  cosine,
  createHashedEmbedder,
  type HashedEmbedderOptions,
} from './hashed-embedder.js';
export { ruleIntent } from './intent-rules.js';
export {
  OFFLINE_PLANNER_INFO,
  createOfflinePlanner,
  type OfflinePlannerDeps,
} from './offline-planner.js';
export {
  planTurn,
  type PlanContext,
  type PlannedCall,
  type PlannerStep,
} from './plan-turn.js';
export type {
  Embedder,
  EntityMatch,
  EntityResolver,
  PlannerToolSpec,
} from './ports.js';
export {
  createSemanticRouter,
  splitClauses,
  type RoutableTool,
  type RoutedTool,
  type SemanticRouter,
  type SemanticRouterOptions,
} from './semantic-router.js';
