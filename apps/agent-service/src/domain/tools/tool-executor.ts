import type { Authorizer } from '@fieldwise/authz';
import { FieldwiseError, type ErrorCode } from '@fieldwise/errors';
import type { ToolRegistry } from './registry.js';
import type {
  AgentTool,
  ToolContext,
  ToolDeps,
  ToolResult,
  WriteProposal,
  WriteTool,
} from './tool.js';

/** A tool error as the model sees it: `{ error: { code, message } }`. */
export interface ToolError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** What became of one tool call. Never a thrown error (except the turn's own cancellation). */
export type ToolCallOutcome =
  | {
      readonly status: 'executed';
      readonly tool: AgentTool;
      readonly result: ToolResult;
      readonly durationMs: number;
    }
  | {
      readonly status: 'proposed';
      readonly tool: WriteTool;
      readonly proposal: WriteProposal;
      readonly durationMs: number;
    }
  | {
      readonly status: 'denied' | 'failed';
      readonly tool: AgentTool | undefined;
      readonly error: ToolError;
      readonly durationMs: number;
    };

/** What the executor needs. */
export interface ToolExecutorDeps {
  readonly tools: ToolRegistry;
  readonly toolDeps: ToolDeps;
  readonly authorizer: Pick<Authorizer, 'canUseTool'>;
  /** Deadline of one tool call, in milliseconds. */
  readonly toolTimeoutMs: number;
  /** Monotonic milliseconds, for durations. */
  readonly now?: () => number;
}

/** One call the model asked for. */
export interface ToolCallRequest {
  readonly name: string;
  readonly arguments: unknown;
}

const SAFE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'PERMISSION_DENIED',
  'CONFLICT',
  'DEADLINE_EXCEEDED',
  'DEPENDENCY_UNAVAILABLE',
  'RATE_LIMITED',
  'PRECONDITION_FAILED',
  'UNIMPLEMENTED',
]);

/** Turns anything a tool threw into the structured error the model sees. */
export function toToolError(error: unknown): ToolError {
  if (error instanceof FieldwiseError && SAFE_CODES.has(error.code)) {
    const details = error.violations
      .map((v) => `${v.field}: ${v.message}`)
      .join('; ');
    return {
      code: error.code,
      message:
        error.code === 'VALIDATION_FAILED' && details !== ''
          ? `invalid arguments: ${details}`
          : error.message,
    };
  }
  // Unexpected failures carry internals; the model only learns that it failed.
  return { code: 'INTERNAL', message: 'the tool failed unexpectedly' };
}

/**
 * Runs `promise` until it settles or `signal` aborts, whichever is first: a
 * tool that ignores its signal is still cut off at its deadline.
 */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function abortReason(signal: AbortSignal): FieldwiseError {
  const reason: unknown = signal.reason;
  if (reason instanceof FieldwiseError) return reason;
  return new FieldwiseError(
    'DEADLINE_EXCEEDED',
    'the tool did not answer in time',
  );
}

/**
 * Executes one tool call for the END USER in `ctx.principal`: checks the
 * tool exists and that the user may use it (authz, before anything runs),
 * validates the arguments against the tool's zod schema, then runs it under
 * a per-tool deadline. A read tool's result comes back `executed`; a write
 * tool only ever comes back `proposed` (its `execute` is not reachable from
 * here). Every failure is a structured `denied`/`failed` outcome; only the
 * turn's own cancellation is rethrown.
 */
export async function executeToolCall(
  deps: ToolExecutorDeps,
  call: ToolCallRequest,
  ctx: ToolContext,
): Promise<ToolCallOutcome> {
  const now = deps.now ?? performance.now.bind(performance);
  const started = now();
  const elapsed = () => Math.max(0, now() - started);
  const tool = deps.tools.get(call.name);
  if (tool === undefined) {
    return {
      status: 'failed',
      tool: undefined,
      error: {
        code: 'VALIDATION_FAILED',
        message: `unknown tool '${call.name}'`,
      },
      durationMs: elapsed(),
    };
  }
  const decision = deps.authorizer.canUseTool(ctx.principal, tool.permission);
  if (!decision.allowed) {
    return {
      status: 'denied',
      tool,
      error: {
        code: 'PERMISSION_DENIED',
        message: `you may not use ${tool.name}`,
      },
      durationMs: elapsed(),
    };
  }
  const parsed = tool.input.safeParse(call.arguments ?? {});
  if (!parsed.success) {
    return {
      status: 'failed',
      tool,
      error: {
        code: 'VALIDATION_FAILED',
        message: `invalid arguments: ${parsed.error.issues
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}`,
      },
      durationMs: elapsed(),
    };
  }
  // One controller fired by the turn's signal or the tool deadline, both
  // released when the call settles: AbortSignal.timeout/any would leave a
  // timer and a dependent signal alive for the whole timeout after every
  // call, which costs more than the call itself for in-process tools.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(
      new DOMException('the tool deadline passed', 'TimeoutError'),
    );
  }, deps.toolTimeoutMs);
  timer.unref();
  const onTurnAbort = () => controller.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onTurnAbort();
  else ctx.signal.addEventListener('abort', onTurnAbort, { once: true });
  const signal = controller.signal;
  const deadline = new Date(
    Math.min(ctx.deadline.getTime(), Date.now() + deps.toolTimeoutMs),
  );
  const toolCtx: ToolContext = { ...ctx, signal, deadline };
  try {
    if (tool.writes) {
      const proposal = await raceAbort(
        tool.run(deps.toolDeps, parsed.data, toolCtx),
        signal,
      );
      return { status: 'proposed', tool, proposal, durationMs: elapsed() };
    }
    const result = await raceAbort(
      tool.run(deps.toolDeps, parsed.data, toolCtx),
      signal,
    );
    return { status: 'executed', tool, result, durationMs: elapsed() };
  } catch (error) {
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    const toolError = timedOut
      ? {
          code: 'DEADLINE_EXCEEDED' as const,
          message: `${tool.name} did not answer within ${deps.toolTimeoutMs} ms`,
        }
      : toToolError(error);
    return { status: 'failed', tool, error: toolError, durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onTurnAbort);
  }
}
