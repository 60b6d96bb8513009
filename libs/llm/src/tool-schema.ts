import { FieldwiseError } from '@fieldwise/errors';
import { z } from 'zod';
import type { ChatTool, JsonSchema } from './chat-model.js';

/**
 * Converts a zod schema of tool arguments into the JSON Schema sent for
 * function calling. It describes the schema's *input* side (what the model
 * must write: fields with defaults are optional), without the `$schema`
 * key, which providers do not need. The top level must be an object.
 *
 * Throws `VALIDATION_FAILED` when the schema is not an object or holds
 * something JSON Schema cannot express (transforms to dates, functions,
 * bigint, …): a tool the model cannot be told about is a definition error.
 */
export function toolParametersSchema(schema: z.ZodType): JsonSchema {
  let converted: Record<string, unknown>;
  try {
    converted = z.toJSONSchema(schema, { io: 'input' });
  } catch (error) {
    throw new FieldwiseError(
      'VALIDATION_FAILED',
      `tool parameters cannot be expressed as JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (converted['type'] !== 'object') {
    throw new FieldwiseError(
      'VALIDATION_FAILED',
      'tool parameters must be an object schema (z.object)',
    );
  }
  const { $schema: _ignored, ...parameters } = converted;
  return parameters;
}

/** A tool described with a zod schema of its arguments. */
export interface ZodToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly parameters: z.ZodType;
}

/**
 * Turns a tool defined with zod into the {@link ChatTool} a model is offered,
 * through {@link toolParametersSchema}.
 */
export function chatToolFromZod(definition: ZodToolDefinition): ChatTool {
  return {
    name: definition.name,
    description: definition.description,
    parameters: toolParametersSchema(definition.parameters),
  };
}
