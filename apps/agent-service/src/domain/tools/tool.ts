import type { FieldChange } from '@fieldwise/contracts';
import type { ToolName } from '@fieldwise/authz';
import type { z } from 'zod';
import type { CrmTools, DownstreamCall, RetrievalTools } from './ports.js';

/** What tools are given to do their work. */
export interface ToolDeps {
  readonly crm: CrmTools;
  readonly retrieval: RetrievalTools;
  /** "Now", for default date ranges and drafts. */
  readonly clock: () => Date;
}

/** The call a tool runs in: the end user, the turn's conversation, a deadline. */
export interface ToolContext extends DownstreamCall {
  readonly conversationId: string;
}

/**
 * A passage of a retrieved document, exactly as retrieved in this turn. Only
 * these can be cited; `injectionFlagged` ones are withheld from the model.
 */
export interface RetrievedChunk {
  readonly chunkId: string;
  readonly documentId: string;
  readonly title: string;
  readonly sectionPath: string;
  /** The full chunk text. */
  readonly text: string;
  /** The best-matching passage, as the retrieval service returned it. */
  readonly snippet: string;
  readonly charStart: number;
  readonly charEnd: number;
  /** Flagged at ingestion by the retrieval service. */
  readonly injectionFlagged: boolean;
}

/** What a read tool returns. */
export interface ToolResult {
  /** JSON data for the model; all of it is treated as untrusted text. */
  readonly data: unknown;
  /** One line for humans (stream events, audit); no payload values. */
  readonly summary: string;
  /** Document passages this result carries (search tools only). */
  readonly chunks?: readonly RetrievedChunk[];
}

/** The record a write targets, read fresh when the action was proposed. */
export interface WriteTarget {
  readonly entityType: 'opportunity' | 'use_case' | 'account';
  readonly entityId: string;
  /** The version read; the write fails with CONFLICT if it moved on. */
  readonly version?: number;
}

/** What a write tool proposes instead of writing: the pending action's content. */
export interface WriteProposal {
  /** One sentence: what will happen. */
  readonly summary: string;
  /** Each field that will change, before (fresh read) → after. */
  readonly changes: readonly FieldChange[];
  readonly target: WriteTarget;
  /** The exact arguments `execute` will receive (normalized). */
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** What executing a confirmed write produced. */
export interface WriteExecution {
  /** JSON-serializable outcome (new version, draft id, …). */
  readonly result: Readonly<Record<string, unknown>>;
  readonly summary: string;
}

/** How a confirmed write runs: once, keyed, against the version read. */
export interface WriteExecutionContext extends DownstreamCall {
  /** Sent to the CRM as its idempotency key: the pending action id. */
  readonly idempotencyKey: string;
  readonly target: WriteTarget;
}

interface ToolBase<S extends z.ZodType> {
  readonly name: ToolName;
  /** Written for a model: when to call it and what it returns. */
  readonly description: string;
  /** Seller phrasings that should route to this tool (offline planner's semantic router). */
  readonly examples: readonly string[];
  /** Arguments; exported as JSON Schema through `chatToolFromZod`. */
  readonly input: S;
  /** The authz tool name checked for the END USER before the tool runs. */
  readonly permission: ToolName;
}

/** A tool that only reads. `run` returns data for the model. */
export interface ReadTool<S extends z.ZodType = z.ZodType> extends ToolBase<S> {
  readonly writes: false;
  run(
    deps: ToolDeps,
    input: z.output<S>,
    ctx: ToolContext,
  ): Promise<ToolResult>;
}

/**
 * A tool that changes data. `run` never writes: it reads fresh state and
 * returns a {@link WriteProposal} that becomes a pending action. Only the
 * action executor calls `execute`, after the same user confirmed.
 */
export interface WriteTool<
  S extends z.ZodType = z.ZodType,
> extends ToolBase<S> {
  readonly writes: true;
  run(
    deps: ToolDeps,
    input: z.output<S>,
    ctx: ToolContext,
  ): Promise<WriteProposal>;
  execute(
    deps: ToolDeps,
    args: Readonly<Record<string, unknown>>,
    ctx: WriteExecutionContext,
  ): Promise<WriteExecution>;
}

/** Any agent tool. */
export type AgentTool = ReadTool | WriteTool;

/**
 * Defines a read tool with its schema's types flowing into `run` (the
 * registry then holds it as the erased {@link ReadTool}).
 */
export function defineReadTool<S extends z.ZodType>(
  tool: ReadTool<S>,
): ReadTool {
  return tool;
}

/** Defines a write tool; see {@link defineReadTool}. */
export function defineWriteTool<S extends z.ZodType>(
  tool: WriteTool<S>,
): WriteTool {
  return tool;
}
