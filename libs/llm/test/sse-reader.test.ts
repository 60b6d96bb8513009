import { describe, expect, it } from 'vitest';
import {
  readServerSentEvents,
  type ServerSentEvent,
} from '../src/sse-reader.js';

function bodyOf(pieces: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function read(pieces: readonly string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(bodyOf(pieces)))
    events.push(event);
  return events;
}

describe('readServerSentEvents', () => {
  it('splits events on blank lines with LF, CRLF and CR endings', async () => {
    expect(
      await read(['data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\n\n']),
    ).toEqual([
      { event: undefined, data: 'a' },
      { event: undefined, data: 'b' },
      { event: undefined, data: 'c' },
      { event: undefined, data: 'd' },
    ]);
  });

  it('joins data lines, keeps the event name and ignores comments', async () => {
    expect(
      await read([': keep-alive\n', 'event: error\ndata: {"a":\ndata: 1}\n\n']),
    ).toEqual([{ event: 'error', data: '{"a":\n1}' }]);
  });

  it('reassembles lines split across reads, a CRLF and a multi-byte character included', async () => {
    const euro = new TextEncoder().encode('€');
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: {"t":"5'));
        controller.enqueue(euro.slice(0, 1));
        controller.enqueue(euro.slice(1));
        controller.enqueue(encoder.encode('"}\r'));
        controller.enqueue(encoder.encode('\n\r\n'));
        controller.close();
      },
    });
    const events: ServerSentEvent[] = [];
    for await (const event of readServerSentEvents(body)) events.push(event);
    expect(events).toEqual([{ event: undefined, data: '{"t":"5€"}' }]);
  });

  it('delivers a last event that no blank line closed', async () => {
    expect(await read(['data: [DONE]'])).toEqual([
      { event: undefined, data: '[DONE]' },
    ]);
  });
});
