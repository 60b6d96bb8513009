import { describe, expect, it } from 'vitest';
import { createScriptedChatModel } from '../src/testing.js';
import { fieldwiseErrorOf } from './helpers.js';

describe('createScriptedChatModel', () => {
  it('replays turns in order, records requests and completes a missing finish', async () => {
    const model = createScriptedChatModel({ name: 'bench-model' });
    model.enqueue(
      [
        {
          type: 'tool-call',
          id: 'c1',
          name: 'find_accounts',
          arguments: { q: 'acme' },
          rawArguments: '{"q":"acme"}',
        },
      ],
      (request) => [
        { type: 'text-delta', text: `saw ${request.messages.length} messages` },
      ],
    );
    const first = await model.complete({
      messages: [{ role: 'user', content: 'acme?' }],
    });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.toolCalls.map((c) => c.name)).toEqual(['find_accounts']);
    const second = await model.complete({
      messages: [
        { role: 'user', content: 'acme?' },
        {
          role: 'assistant',
          toolCalls: [
            { id: 'c1', name: 'find_accounts', arguments: { q: 'acme' } },
          ],
        },
        { role: 'tool', toolCallId: 'c1', content: '[]' },
      ],
    });
    expect(second).toMatchObject({
      text: 'saw 3 messages',
      finishReason: 'stop',
    });
    expect(model.requests).toHaveLength(2);
    expect(model.pending).toBe(0);
  });

  it('fails clearly without a queued turn, on a bad request and when cancelled', async () => {
    const model = createScriptedChatModel();
    expect(
      (
        await fieldwiseErrorOf(() =>
          model.complete({ messages: [{ role: 'user', content: 'x' }] }),
        )
      ).code,
    ).toBe('INTERNAL');
    expect(
      (await fieldwiseErrorOf(() => model.complete({ messages: [] }))).code,
    ).toBe('VALIDATION_FAILED');
    model.enqueue([{ type: 'text-delta', text: 'x' }]);
    const controller = new AbortController();
    controller.abort();
    expect(
      (
        await fieldwiseErrorOf(() =>
          model.complete(
            { messages: [{ role: 'user', content: 'x' }] },
            { signal: controller.signal },
          ),
        )
      ).code,
    ).toBe('CANCELLED');
  });
});
