import { describe, expect, it } from 'vitest';
import { ToolCallAssembler, finishToolCall } from '../src/index.js';

describe('ToolCallAssembler', () => {
  it('joins fragments by index and returns calls in index order', () => {
    const assembler = new ToolCallAssembler();
    assembler.add({
      index: 1,
      id: 'b',
      function: { name: 'second', arguments: '' },
    });
    assembler.add({
      index: 0,
      id: 'a',
      function: { name: 'first', arguments: '{"x"' },
    });
    assembler.add({ index: 1, function: { arguments: '{"y":2}' } });
    assembler.add({ index: 0, function: { arguments: ':1}' } });
    expect(assembler.finish()).toEqual([
      {
        type: 'tool-call',
        id: 'a',
        name: 'first',
        arguments: { x: 1 },
        rawArguments: '{"x":1}',
      },
      {
        type: 'tool-call',
        id: 'b',
        name: 'second',
        arguments: { y: 2 },
        rawArguments: '{"y":2}',
      },
    ]);
  });

  it('keeps a name that a server repeats in every fragment once', () => {
    const assembler = new ToolCallAssembler();
    assembler.add({
      index: 0,
      id: 'a',
      function: { name: 'find_accounts', arguments: '{' },
    });
    assembler.add({
      index: 0,
      function: { name: 'find_accounts', arguments: '}' },
    });
    expect(assembler.finish()[0]).toMatchObject({
      name: 'find_accounts',
      arguments: {},
    });
  });

  it('gives an id to a call that came without one', () => {
    const assembler = new ToolCallAssembler();
    assembler.add({ index: 3, function: { name: 'f', arguments: '{}' } });
    expect(assembler.finish()[0]).toMatchObject({ id: 'call_3' });
  });
});

describe('finishToolCall', () => {
  it('reads empty arguments as no arguments', () => {
    expect(finishToolCall('c', 'f', '  ')).toEqual({
      type: 'tool-call',
      id: 'c',
      name: 'f',
      arguments: {},
      rawArguments: '  ',
    });
  });

  it.each([
    ['{"accountId": "a1"', /truncated|error at character/],
    ['{accountId: a1}', /error at character|not valid JSON/],
    ['not json at all', /not valid JSON/],
  ])('reports %s as malformed without quoting it', (raw, pattern) => {
    const event = finishToolCall('c', 'f', raw);
    expect(event.type).toBe('tool-call-error');
    if (event.type !== 'tool-call-error') return;
    expect(event.error).toMatch(pattern);
    expect(event.error).not.toContain('a1');
    expect(event.rawArguments).toBe(raw);
  });

  it('reports a call without a function name', () => {
    expect(finishToolCall('c', '', '{}')).toMatchObject({
      type: 'tool-call-error',
      error: 'the model named no function',
    });
  });
});
