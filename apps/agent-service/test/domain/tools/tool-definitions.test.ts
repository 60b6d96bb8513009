import { TOOLS } from '@fieldwise/authz';
import { describe, expect, it } from 'vitest';
import {
  AGENT_TOOLS,
  chatToolOf,
  createToolRegistry,
} from '../../../src/domain/tools/registry.js';

describe('the eleven agent tools', () => {
  it('match the authz tool list (name, permission, writes)', () => {
    expect(AGENT_TOOLS.map((t) => [t.name, t.permission, t.writes])).toEqual(
      TOOLS.map((t) => [t.name, t.name, t.writes]),
    );
    expect(createToolRegistry().size).toBe(11);
  });

  it.each(AGENT_TOOLS.map((t) => [t.name, t] as const))(
    '%s exports JSON Schema, a description and examples',
    (_name, tool) => {
      const chat = chatToolOf(tool);
      expect(chat.parameters).toMatchObject({ type: 'object' });
      expect(chat.description.length).toBeGreaterThan(60);
      expect(tool.examples.length).toBeGreaterThanOrEqual(3);
    },
  );

  it('rejects unknown argument keys (a model cannot smuggle fields)', () => {
    const find = AGENT_TOOLS[0]!;
    expect(find.input.safeParse({ query: 'acme', bulk: true }).success).toBe(
      false,
    );
  });
});
