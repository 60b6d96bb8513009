import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_EVENT_TYPES,
  EVENT_PAYLOAD_SCHEMAS,
  FEEDBACK_EVENT_TYPES,
  parseEvent,
  verifyAuditChain,
} from '../src/index.js';

const dir = join(import.meta.dirname, 'fixtures');
const files = readdirSync(join(dir, 'events')).filter((f) =>
  f.endsWith('.json'),
);
const read = (file: string): unknown =>
  JSON.parse(readFileSync(join(dir, 'events', file), 'utf8')) as unknown;

describe('versioned event fixtures', () => {
  it('are unchanged since they were published (MANIFEST.sha256)', () => {
    const manifest = new Map(
      readFileSync(join(dir, 'MANIFEST.sha256'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          const [digest, path] = line.split(/\s+/);
          return [path, digest] as const;
        }),
    );
    expect([...manifest.keys()].sort()).toEqual(
      files.map((f) => `events/${f}`).sort(),
    );
    for (const file of files) {
      const digest = createHash('sha256')
        .update(readFileSync(join(dir, 'events', file)))
        .digest('hex');
      expect(digest, file).toBe(manifest.get(`events/${file}`));
    }
  });

  it('cover every registered event type', () => {
    const types = [
      ...Object.values(AUDIT_EVENT_TYPES),
      ...Object.values(FEEDBACK_EVENT_TYPES),
    ];
    expect([...EVENT_PAYLOAD_SCHEMAS.keys()].sort()).toEqual(types.sort());
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(
      types.sort(),
    );
  });

  it.each(files)('%s still parses with the current schemas', (file) => {
    const event = parseEvent(read(file));
    expect(event.type).toBe(file.replace(/\.json$/, ''));
  });

  it('audit fixtures form one intact hash chain', () => {
    const audit = files
      .filter((f) => f.startsWith('fieldwise.audit.'))
      .map(read)
      .sort((a, b) => (a as { seq: number }).seq - (b as { seq: number }).seq);
    const report = verifyAuditChain(audit);
    expect(report.ok).toBe(true);
    expect(report.producers).toHaveLength(1);
    expect(report.producers[0]?.events).toBe(6);
  });
});
