import { ValidationError, type FieldViolation } from '@fieldwise/errors';
import { z } from 'zod';
import type { ChatModelRequest } from './chat-model.js';

/** The providers' limit on function names. */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const toolCallSchema = z
  .object({
    id: z.string().min(1),
    name: z
      .string()
      .regex(TOOL_NAME, 'must be 1-64 characters of A-Z a-z 0-9 _ -'),
    arguments: z.unknown().optional(),
    rawArguments: z.string().optional(),
  })
  .loose();

const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }).loose(),
  z.object({ role: z.literal('user'), content: z.string() }).loose(),
  z
    .object({
      role: z.literal('assistant'),
      content: z.string().optional(),
      toolCalls: z.array(toolCallSchema).optional(),
    })
    .loose(),
  z
    .object({
      role: z.literal('tool'),
      toolCallId: z.string().min(1),
      content: z.string(),
    })
    .loose(),
]);

const toolSchema = z
  .object({
    name: z
      .string()
      .regex(TOOL_NAME, 'must be 1-64 characters of A-Z a-z 0-9 _ -'),
    description: z.string(),
    parameters: z
      .record(z.string(), z.unknown())
      .refine((schema) => schema['type'] === 'object', {
        message: 'must be a JSON Schema whose type is "object"',
      }),
  })
  .loose();

/** The request's shape; exported for the test that holds {@link wellFormed} to it. */
export const requestSchema = z
  .object({
    messages: z.array(messageSchema).min(1, 'must hold at least one message'),
    tools: z.array(toolSchema).optional(),
    toolChoice: z
      .union([
        z.enum(['auto', 'none', 'required']),
        z.object({ name: z.string() }),
      ])
      .optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
  })
  .loose();

/**
 * Checks a request before it is sent, so a mistake in the caller is a clear
 * `VALIDATION_FAILED` naming each field instead of an opaque provider 400:
 * shapes and ranges, unique tool names, a `toolChoice` naming an offered
 * tool, and every tool result answering an earlier assistant tool call.
 * Messages' content is never copied into the error.
 */
export function validateChatModelRequest(request: ChatModelRequest): void {
  // Every model call of a turn is checked, with the whole history and the
  // tool catalogue; the hand-written check accepts only what the schema
  // accepts and costs a fraction of it. The schema names what is wrong.
  const parsed = wellFormed(request)
    ? { success: true as const }
    : requestSchema.safeParse(request);
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    );
  }
  const violations = [
    ...toolViolations(request),
    ...toolResultViolations(request),
  ];
  if (violations.length > 0) throw new ValidationError(violations);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function wellFormedToolCall(call: unknown): boolean {
  return (
    isRecord(call) &&
    typeof call['id'] === 'string' &&
    call['id'] !== '' &&
    typeof call['name'] === 'string' &&
    TOOL_NAME.test(call['name']) &&
    optionalString(call['rawArguments'])
  );
}

function wellFormedMessage(message: unknown): boolean {
  if (!isRecord(message)) return false;
  switch (message['role']) {
    case 'system':
    case 'user':
      return typeof message['content'] === 'string';
    case 'assistant': {
      const calls = message['toolCalls'];
      return (
        optionalString(message['content']) &&
        (calls === undefined ||
          (Array.isArray(calls) && calls.every(wellFormedToolCall)))
      );
    }
    case 'tool':
      return (
        typeof message['toolCallId'] === 'string' &&
        message['toolCallId'] !== '' &&
        typeof message['content'] === 'string'
      );
    default:
      return false;
  }
}

function wellFormedTool(tool: unknown): boolean {
  if (!isRecord(tool)) return false;
  const parameters = tool['parameters'];
  return (
    typeof tool['name'] === 'string' &&
    TOOL_NAME.test(tool['name']) &&
    typeof tool['description'] === 'string' &&
    isRecord(parameters) &&
    Object.getPrototypeOf(parameters) === Object.prototype &&
    Object.getOwnPropertySymbols(parameters).length === 0 &&
    parameters['type'] === 'object'
  );
}

/**
 * True only for requests {@link requestSchema} accepts (it may reject some
 * of those; the schema then decides). Exported for its property test.
 */
export function wellFormed(request: unknown): boolean {
  if (!isRecord(request)) return false;
  const { messages, tools, toolChoice, temperature, maxTokens } = request;
  return (
    Array.isArray(messages) &&
    messages.length > 0 &&
    messages.every(wellFormedMessage) &&
    (tools === undefined ||
      (Array.isArray(tools) && tools.every(wellFormedTool))) &&
    (toolChoice === undefined ||
      toolChoice === 'auto' ||
      toolChoice === 'none' ||
      toolChoice === 'required' ||
      (isRecord(toolChoice) && typeof toolChoice['name'] === 'string')) &&
    (temperature === undefined ||
      (typeof temperature === 'number' &&
        temperature >= 0 &&
        temperature <= 2)) &&
    (maxTokens === undefined ||
      (Number.isSafeInteger(maxTokens) && (maxTokens as number) > 0))
  );
}

function toolViolations(request: ChatModelRequest): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const names = new Set<string>();
  (request.tools ?? []).forEach((tool, index) => {
    if (names.has(tool.name)) {
      violations.push({
        field: `tools.${index}.name`,
        message: `duplicate tool name '${tool.name}'`,
      });
    }
    names.add(tool.name);
  });
  const choice = request.toolChoice;
  if (typeof choice === 'object' && !names.has(choice.name)) {
    violations.push({
      field: 'toolChoice.name',
      message: `names no offered tool ('${choice.name}')`,
    });
  }
  if (choice === 'required' && names.size === 0) {
    violations.push({
      field: 'toolChoice',
      message: "'required' needs at least one tool",
    });
  }
  return violations;
}

function toolResultViolations(request: ChatModelRequest): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const callIds = new Set<string>();
  request.messages.forEach((message, index) => {
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) callIds.add(call.id);
    } else if (message.role === 'tool' && !callIds.has(message.toolCallId)) {
      violations.push({
        field: `messages.${index}.toolCallId`,
        message: 'answers no earlier assistant tool call',
      });
    }
  });
  return violations;
}
