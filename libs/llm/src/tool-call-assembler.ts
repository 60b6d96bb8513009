import type { ToolCallErrorEvent, ToolCallEvent } from './chat-model.js';

/** One streamed fragment of a tool call, as chat-completion chunks carry it. */
export interface ToolCallDelta {
  /** Position of the call in the message; some compatible servers omit it. */
  readonly index?: number | undefined;
  readonly id?: string | undefined;
  readonly function?:
    | {
        readonly name?: string | undefined;
        readonly arguments?: string | undefined;
      }
    | undefined;
}

interface PartialCall {
  id: string | undefined;
  name: string;
  rawArguments: string;
}

/**
 * Turns a tool call's complete argument text into a `tool-call` event, or a
 * `tool-call-error` when it is not JSON. Empty text means "no arguments"
 * (`{}`): models send that for parameterless functions. The error text never
 * quotes the arguments.
 */
export function finishToolCall(
  id: string,
  name: string,
  rawArguments: string,
): ToolCallEvent | ToolCallErrorEvent {
  if (name.length === 0) {
    return {
      type: 'tool-call-error',
      id,
      name,
      rawArguments,
      error: 'the model named no function',
    };
  }
  const text = rawArguments.trim();
  if (text.length === 0) {
    return { type: 'tool-call', id, name, arguments: {}, rawArguments };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return { type: 'tool-call', id, name, arguments: parsed, rawArguments };
  } catch (error) {
    return {
      type: 'tool-call-error',
      id,
      name,
      rawArguments,
      error: describeJsonError(error, text.length),
    };
  }
}

function describeJsonError(error: unknown, length: number): string {
  // V8's messages can quote the input; only the position is kept.
  const message = error instanceof Error ? error.message : '';
  const position = /position (\d+)/.exec(message)?.[1];
  if (position !== undefined) {
    return `arguments are not valid JSON (error at character ${position} of ${length})`;
  }
  if (/end of JSON input/i.test(message)) {
    return `arguments are not valid JSON (truncated after ${length} characters)`;
  }
  return 'arguments are not valid JSON';
}

/**
 * Collects streamed tool-call fragments by `index`: the id and name arrive in
 * a call's first fragment, its arguments split across many; several calls
 * (parallel tool calls) may interleave. {@link ToolCallAssembler.finish}
 * returns the complete calls in index order.
 */
export class ToolCallAssembler {
  readonly #calls = new Map<number, PartialCall>();
  #lastIndex: number | undefined;

  /** Adds one fragment. */
  add(delta: ToolCallDelta): void {
    const index = this.#indexOf(delta);
    this.#lastIndex = index;
    let call = this.#calls.get(index);
    if (call === undefined) {
      call = { id: undefined, name: '', rawArguments: '' };
      this.#calls.set(index, call);
    }
    if (delta.id !== undefined && delta.id.length > 0) call.id ??= delta.id;
    const name = delta.function?.name;
    // Some servers repeat the full name in every fragment: keep it once.
    if (name !== undefined && name.length > 0 && name !== call.name) {
      call.name += name;
    }
    call.rawArguments += delta.function?.arguments ?? '';
  }

  /** True when no fragment was added. */
  get empty(): boolean {
    return this.#calls.size === 0;
  }

  /** The finished calls in index order; a call without an id gets `call_<index>`. */
  finish(): (ToolCallEvent | ToolCallErrorEvent)[] {
    return [...this.#calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) =>
        finishToolCall(
          call.id ?? `call_${index}`,
          call.name,
          call.rawArguments,
        ),
      );
  }

  #indexOf(delta: ToolCallDelta): number {
    if (delta.index !== undefined) return delta.index;
    // Without an index: a known id continues its call, a new id opens the
    // next slot, and an id-less fragment continues the latest call.
    if (delta.id !== undefined && delta.id.length > 0) {
      for (const [index, call] of this.#calls) {
        if (call.id === delta.id) return index;
      }
      return this.#calls.size === 0 ? 0 : Math.max(...this.#calls.keys()) + 1;
    }
    return this.#lastIndex ?? 0;
  }
}
