/** One agent tool as far as authorization is concerned. */
export interface ToolDescriptor {
  readonly name: string;
  /** The tool changes data (its execution waits for the user's confirmation). */
  readonly writes: boolean;
  /** The tool reads or writes customer (CRM) data. */
  readonly customerData: boolean;
}

/** The agent tools of DESIGN.md "Agent tools"; policy lines may only name these. */
export const TOOLS = [
  { name: 'find_accounts', writes: false, customerData: true },
  { name: 'account_360', writes: false, customerData: true },
  { name: 'product_consumption', writes: false, customerData: true },
  { name: 'support_cases', writes: false, customerData: true },
  { name: 'similar_customers', writes: false, customerData: true },
  { name: 'hygiene_alerts', writes: false, customerData: true },
  { name: 'search_collateral', writes: false, customerData: false },
  { name: 'summarize_meeting', writes: false, customerData: true },
  { name: 'update_crm_field', writes: true, customerData: true },
  { name: 'draft_email', writes: true, customerData: true },
  { name: 'create_proposal', writes: true, customerData: true },
] as const satisfies readonly ToolDescriptor[];

/** The name of an agent tool. */
export type ToolName = (typeof TOOLS)[number]['name'];

/** True when `value` names a known agent tool. */
export function isToolName(value: string): value is ToolName {
  return TOOLS.some((tool) => tool.name === value);
}
