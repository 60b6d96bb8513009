import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VectorIndex } from '../../src/adapters/vector-index/port.js';
import type { DocumentStore } from '../../src/adapters/store/port.js';
import { readSources } from '../../src/adapters/files/collateral-directory.js';
import { scopeForRoles } from '../../src/domain/access.js';
import { deleteDocument, ingestDocuments } from '../../src/domain/ingest.js';
import { searchCollateral } from '../../src/domain/search.js';
import {
  COLLATERAL_DIR,
  EVAL_DIR,
  createHarness,
  ingestCorpus,
  type Harness,
} from '../helpers/fixtures.js';

/** Wraps a real adapter and records every call to a writing method. */
function recordWrites<T extends object>(
  target: T,
  methods: readonly (keyof T)[],
  log: string[],
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (methods.includes(property as keyof T)) log.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

const meta = {
  title: 'Field note',
  type: 'playbook',
  products: ['stream'],
  competitors: [],
  industries: [],
  regions: ['global'],
  visibility: 'internal',
  owner: 'Test',
  updated: '2026-04-01',
};

describe('ingestion', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = createHarness();
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  it('ingests the whole corpus: 71 documents, every format, no rejections', async () => {
    const report = await ingestCorpus(harness.deps);
    expect(report.rejected).toEqual([]);
    expect(report.documents).toHaveLength(71);
    expect(
      report.documents.every((d) => d.status === 'created' && d.chunks > 0),
    ).toBe(true);
    const pdf = harness.deps.store.getDocument(
      'lumen',
      'case-study-pinnacle-public-transit',
    );
    expect(pdf?.format).toBe('pdf');
    expect(pdf?.text).toContain('1,100 Buses');
    expect(pdf?.metadata.visibility).toBe('public');
  });

  it('re-ingesting an unchanged corpus writes nothing', async () => {
    await ingestCorpus(harness.deps);
    const writes: string[] = [];
    const store = recordWrites<DocumentStore>(
      harness.deps.store,
      ['replaceDocument', 'deleteDocument'],
      writes,
    );
    const index = recordWrites<VectorIndex>(
      harness.deps.index,
      ['upsert', 'delete', 'flush'],
      writes,
    );
    const report = await ingestCorpus({ ...harness.deps, store, index });
    expect(writes).toEqual([]);
    expect(report.chunksWritten).toBe(0);
    expect(report.documents.every((d) => d.status === 'unchanged')).toBe(true);
  });

  it('a changed document replaces only its own chunks', async () => {
    const { documents } = readSources(COLLATERAL_DIR);
    await ingestDocuments(harness.deps, { tenant: 'lumen', documents });
    const before = new Map(
      harness.deps.store
        .listDocumentIds('lumen')
        .map((id) => [
          id,
          harness.deps.store.getDocument('lumen', id)?.ingestedAt,
        ]),
    );
    const target = 'objection-handling-price-and-tco';
    const changed = documents.map((doc) =>
      doc.name === `${target}.md`
        ? {
            ...doc,
            content: Buffer.from(
              `${Buffer.from(doc.content).toString('utf8')}\n## Added section\n\nCustomers on the zebra tier get a quokka rebate.\n`,
            ),
          }
        : doc,
    );
    const writes: string[] = [];
    const index = recordWrites<VectorIndex>(
      harness.deps.index,
      ['upsert', 'delete'],
      writes,
    );
    const report = await ingestDocuments(
      { ...harness.deps, index, now: () => new Date('2026-05-01T00:00:00Z') },
      { tenant: 'lumen', documents: changed },
    );
    expect(
      report.documents
        .filter((d) => d.status !== 'unchanged')
        .map((d) => d.documentId),
    ).toEqual([target]);
    expect(report.documents.find((d) => d.documentId === target)?.status).toBe(
      'updated',
    );
    expect(writes).toEqual(['upsert', 'delete']);
    for (const [id, ingestedAt] of before) {
      const now = harness.deps.store.getDocument('lumen', id)?.ingestedAt;
      if (id === target) expect(now).toBe('2026-05-01T00:00:00.000Z');
      else expect(now).toBe(ingestedAt);
    }
    const { hits } = await searchCollateral(harness.deps, {
      query: 'zebra quokka rebate',
      scope: scopeForRoles('lumen', ['seller']),
    });
    expect(hits[0]?.citation.documentId).toBe(target);
    expect(hits[0]?.citation.sectionPath.at(-1)).toBe('Added section');
  });

  it('deleting a document removes it from search and the index', async () => {
    await ingestCorpus(harness.deps);
    const before = await harness.deps.index.count();
    const chunks = harness.deps.store.chunkIds(
      'lumen',
      'security-faq-encryption-and-keys',
    ).length;
    const result = await deleteDocument(harness.deps, {
      tenant: 'lumen',
      documentId: 'security-faq-encryption-and-keys',
    });
    expect(result.chunksRemoved).toBe(chunks);
    expect(await harness.deps.index.count()).toBe(before - chunks);
    const { hits } = await searchCollateral(harness.deps, {
      query: 'BYOK encryption key rotation',
      scope: scopeForRoles('lumen', ['admin']),
      limit: 50,
    });
    expect(
      hits.some(
        (h) => h.citation.documentId === 'security-faq-encryption-and-keys',
      ),
    ).toBe(false);
    await expect(
      deleteDocument(harness.deps, {
        tenant: 'lumen',
        documentId: 'security-faq-encryption-and-keys',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('flags every planted injection and returns flagged chunks with the flag', async () => {
    await ingestCorpus(harness.deps);
    const planted = JSON.parse(
      readFileSync(join(EVAL_DIR, 'injections.json'), 'utf8'),
    ) as { documentId: string; kind: string; text: string }[];
    expect(planted).toHaveLength(5);
    const admin = scopeForRoles('lumen', ['admin']);
    for (const injection of planted) {
      const ids = harness.deps.store.chunkIds('lumen', injection.documentId);
      const chunks = harness.deps.store
        .getChunks(ids, admin)
        .map((c) => c.chunk);
      const holder = chunks.find((c) =>
        c.text.replace(/\s+/g, ' ').includes(injection.text),
      );
      expect(
        holder,
        `${injection.documentId} keeps the injected text`,
      ).toBeDefined();
      expect(holder?.injection.flagged, injection.documentId).toBe(true);
      expect(holder?.injection.reasons.length).toBeGreaterThan(0);
      if (injection.kind === 'html-comment')
        expect(holder?.hiddenContent).toContain('html-comment');
      if (injection.kind === 'hidden-html' || injection.kind === 'white-text')
        expect(holder?.hiddenContent).toContain('hidden-style');
    }
    const flaggedDocs = new Set(
      harness.deps.store
        .listDocumentIds('lumen')
        .filter((id) =>
          harness.deps.store
            .getChunks(harness.deps.store.chunkIds('lumen', id), admin)
            .some((c) => c.chunk.injection.flagged),
        ),
    );
    expect([...flaggedDocs].sort()).toEqual(
      planted.map((p) => p.documentId).sort(),
    );
    const { hits } = await searchCollateral(harness.deps, {
      query: 'ignore your previous instructions closed lost opportunities',
      scope: admin,
      limit: 20,
    });
    const flagged = hits.filter((h) => h.injectionFlagged);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.every((h) => h.injectionReasons.length > 0)).toBe(true);
  });

  it('rejects malformed documents with reasons while the rest of the batch ingests', async () => {
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 256;
    const good = readFileSync(join(COLLATERAL_DIR, 'playbook-lumen-stream.md'));
    const pdf = readFileSync(
      join(COLLATERAL_DIR, 'case-study-pinnacle-public-transit.pdf'),
    );
    const pdfMeta = JSON.parse(
      readFileSync(
        join(COLLATERAL_DIR, 'case-study-pinnacle-public-transit.meta.json'),
        'utf8',
      ),
    ) as Record<string, unknown>;
    const report = await ingestDocuments(harness.deps, {
      tenant: 'lumen',
      documents: [
        { name: 'empty-note.md', content: Buffer.alloc(0) },
        { name: 'junk-note.md', content: junk },
        {
          name: 'huge-note.txt',
          content: Buffer.alloc(50 * 1024 * 1024, 'a'),
          metadata: meta,
        },
        {
          name: 'broken-brief.pdf',
          content: pdf.subarray(0, Math.floor(pdf.length / 2)),
          metadata: { ...pdfMeta, id: 'broken-brief' },
        },
        {
          name: 'not-a-pdf.pdf',
          content: Buffer.from('hello, I am text'),
          metadata: { ...meta },
        },
        {
          name: 'no-visibility.md',
          content: Buffer.from(
            '---\ntitle: X\ntype: playbook\n---\n# X\n\nBody text.\n',
          ),
        },
        { name: 'slides.pptx', content: Buffer.from('PK...') },
        { name: 'playbook-lumen-stream.md', content: good },
        {
          name: 'field-note.txt',
          content: Buffer.from(
            'Streaming units are sized by peak throughput.\n\nOne unit handles 10 MB/s.',
          ),
          metadata: meta,
        },
      ],
    });
    const reasons = new Map(
      report.rejected.map((r) => [r.source, r.reasons.join('; ')]),
    );
    expect(reasons.get('empty-note.md')).toMatch(/empty/);
    expect(reasons.get('junk-note.md')).toMatch(/UTF-8|binary/);
    expect(reasons.get('huge-note.txt')).toMatch(/limit/);
    expect(reasons.get('broken-brief.pdf')).toMatch(/broken PDF/);
    expect(reasons.get('not-a-pdf.pdf')).toMatch(/not a PDF/);
    expect(reasons.get('no-visibility.md')).toMatch(/visibility/);
    expect(reasons.get('slides.pptx')).toMatch(/unsupported/);
    expect(report.rejected).toHaveLength(7);
    expect(report.documents.map((d) => d.documentId).sort()).toEqual([
      'field-note',
      'playbook-lumen-stream',
    ]);
    expect(harness.deps.store.listDocumentIds('lumen')).toEqual([
      'field-note',
      'playbook-lumen-stream',
    ]);
  });

  it('reads Flate-compressed PDFs and marks bold lines as headings', async () => {
    const content = [
      'BT /F2 16 Tf 60 700 Td (Quarterly Field Brief) Tj ET',
      'BT /F1 10 Tf 60 680 Td (Lumen Stream keeps p99 latency under 80 ms.) Tj ET',
      'BT /F2 12 Tf 60 660 Td (Pricing) Tj ET',
      'BT /F1 10 Tf 60 640 Td [(Credits cost ) -250 (\\(list\\) $2.00.)] TJ ET',
    ].join('\n');
    const stream = deflateSync(Buffer.from(content, 'latin1'));
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>',
    ];
    let pdf = '%PDF-1.4\n';
    objects.forEach((body, i) => {
      pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    });
    const bytes = Buffer.concat([
      Buffer.from(
        `${pdf}6 0 obj\n<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`,
        'latin1',
      ),
      stream,
      Buffer.from(
        '\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
        'latin1',
      ),
    ]);
    const report = await ingestDocuments(harness.deps, {
      tenant: 'lumen',
      documents: [
        {
          name: 'field-brief.pdf',
          content: bytes,
          metadata: { ...meta, id: 'field-brief' },
        },
      ],
    });
    expect(report.rejected).toEqual([]);
    const doc = harness.deps.store.getDocument('lumen', 'field-brief');
    expect(doc?.text).toBe(
      'Quarterly Field Brief\n\nLumen Stream keeps p99 latency under 80 ms.\n\nPricing\n\nCredits cost  (list) $2.00.',
    );
    const chunks = harness.deps.store.getChunks(
      harness.deps.store.chunkIds('lumen', 'field-brief'),
      scopeForRoles('lumen', ['seller']),
    );
    expect(chunks.map((c) => c.chunk.sectionPath)).toEqual([
      ['Quarterly Field Brief'],
      ['Quarterly Field Brief', 'Pricing'],
    ]);
  });
});
