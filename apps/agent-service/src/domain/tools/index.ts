export { account360Tool } from './account-360.js';
export { createProposalTool } from './create-proposal.js';
export { draftEmailTool } from './draft-email.js';
export { findAccountsTool } from './find-accounts.js';
export { hygieneAlertsTool } from './hygiene-alerts.js';
export type { CrmTools, DownstreamCall, RetrievalTools } from './ports.js';
export { productConsumptionTool } from './product-consumption.js';
export {
  AGENT_TOOLS,
  chatToolOf,
  createToolRegistry,
  type ToolRegistry,
} from './registry.js';
export { searchCollateralTool } from './search-collateral.js';
export { similarCustomersTool } from './similar-customers.js';
export { summarizeMeetingTool } from './summarize-meeting-tool.js';
export { supportCasesTool } from './support-cases.js';
export {
  defineReadTool,
  defineWriteTool,
  type AgentTool,
  type ReadTool,
  type RetrievedChunk,
  type ToolContext,
  type ToolDeps,
  type ToolResult,
  type WriteExecution,
  type WriteExecutionContext,
  type WriteProposal,
  type WriteTarget,
  type WriteTool,
} from './tool.js';
export {
  executeToolCall,
  toToolError,
  type ToolCallOutcome,
  type ToolCallRequest,
  type ToolError,
  type ToolExecutorDeps,
} from './tool-executor.js';
export { UPDATABLE_FIELDS, updateCrmFieldTool } from './update-crm-field.js';
