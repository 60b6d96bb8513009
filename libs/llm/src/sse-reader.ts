/** One server-sent event: its `event` field (if any) and its joined `data` lines. */
export interface ServerSentEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/**
 * Reads a `text/event-stream` body into events (WHATWG "event stream
 * interpretation"): lines end in CRLF, LF or CR; `data:` lines of one event
 * are joined with newlines; a blank line dispatches; comments and unknown
 * fields are ignored. We parse ourselves rather than through the SDK's
 * stream helper because that helper prints unparseable chunks to the
 * console, and a library must never print (least of all model output).
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event: string | undefined;

  function* takeLines(final: boolean): Generator<ServerSentEvent> {
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer);
      // A trailing CR may be half of a CRLF split across reads.
      if (
        !match ||
        (!final && match[0] === '\r' && match.index === buffer.length - 1)
      ) {
        break;
      }
      const line = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      const dispatched = interpret(line);
      if (dispatched) yield dispatched;
    }
    if (final && buffer.length > 0) {
      const dispatched = interpret(buffer);
      buffer = '';
      if (dispatched) yield dispatched;
    }
  }

  function interpret(line: string): ServerSentEvent | undefined {
    if (line.length === 0) {
      if (data.length === 0) {
        event = undefined;
        return undefined;
      }
      const dispatched = { event, data: data.join('\n') };
      data = [];
      event = undefined;
      return dispatched;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    return undefined;
  }

  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      yield* takeLines(false);
    }
    buffer += decoder.decode();
    yield* takeLines(true);
    // An event not closed by a blank line is still delivered at the end.
    const last = interpret('');
    if (last) yield last;
  } finally {
    // Stopped early (the caller broke out, or a read failed): let go of the body.
    if (!finished) await reader.cancel().catch(() => undefined);
    else reader.releaseLock();
  }
}
