/** One parsed server-sent event. */
export interface SseEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

/** Parses a complete `text/event-stream` body into its events (JSON data). */
export function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of body.split('\n\n')) {
    if (block.trim() === '') continue;
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    events.push({
      ...(id !== undefined ? { id } : {}),
      event,
      data: JSON.parse(data.join('\n')) as Record<string, unknown>,
    });
  }
  return events;
}
