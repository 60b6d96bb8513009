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

const requestSchema = z
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
  const parsed = requestSchema.safeParse(request);
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
