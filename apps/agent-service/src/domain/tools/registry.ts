import { chatToolFromZod, type ChatTool } from '@fieldwise/llm';
import { account360Tool } from './account-360.js';
import { createProposalTool } from './create-proposal.js';
import { draftEmailTool } from './draft-email.js';
import { findAccountsTool } from './find-accounts.js';
import { hygieneAlertsTool } from './hygiene-alerts.js';
import { productConsumptionTool } from './product-consumption.js';
import { searchCollateralTool } from './search-collateral.js';
import { similarCustomersTool } from './similar-customers.js';
import { summarizeMeetingTool } from './summarize-meeting-tool.js';
import { supportCasesTool } from './support-cases.js';
import type { AgentTool } from './tool.js';
import { updateCrmFieldTool } from './update-crm-field.js';

/** The eleven agent tools of DESIGN.md "Agent tools", in that order. */
export const AGENT_TOOLS: readonly AgentTool[] = [
  findAccountsTool,
  account360Tool,
  productConsumptionTool,
  supportCasesTool,
  similarCustomersTool,
  hygieneAlertsTool,
  searchCollateralTool,
  summarizeMeetingTool,
  updateCrmFieldTool,
  draftEmailTool,
  createProposalTool,
];

/** Tools by name, for the executor. */
export type ToolRegistry = ReadonlyMap<string, AgentTool>;

/** Indexes tools by name; throws on a duplicate name (a definition error). */
export function createToolRegistry(
  tools: readonly AgentTool[] = AGENT_TOOLS,
): ToolRegistry {
  const map = new Map<string, AgentTool>();
  for (const tool of tools) {
    if (map.has(tool.name)) throw new Error(`duplicate tool '${tool.name}'`);
    map.set(tool.name, tool);
  }
  return map;
}

const chatTools = new WeakMap<AgentTool, ChatTool>();

/** The function-calling description of a tool (JSON Schema from its zod input), cached. */
export function chatToolOf(tool: AgentTool): ChatTool {
  let chatTool = chatTools.get(tool);
  if (chatTool === undefined) {
    chatTool = chatToolFromZod({
      name: tool.name,
      description: tool.description,
      parameters: tool.input,
    });
    chatTools.set(tool, chatTool);
  }
  return chatTool;
}
