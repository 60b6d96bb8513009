import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentVisibility } from '@fieldwise/contracts';
import type { Principal } from '@fieldwise/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COLLATERAL_DIR,
  startRetrievalForTest,
  type RetrievalUnderTest,
} from './retrieval-test-service.js';

/** Visibility of every corpus document, read from the files (independent of the parsers). */
function corpusVisibility(): Map<string, string> {
  const map = new Map<string, string>();
  for (const name of readdirSync(COLLATERAL_DIR)) {
    if (name === 'README.md' || name.startsWith('_')) continue;
    const text = readFileSync(join(COLLATERAL_DIR, name), 'utf8');
    let visibility: string | undefined;
    if (name.endsWith('.meta.json'))
      visibility = (JSON.parse(text) as { visibility: string }).visibility;
    else if (name.endsWith('.html'))
      visibility = /name="fieldwise:visibility" content="(\w+)"/.exec(
        text,
      )?.[1];
    else if (name.endsWith('.md'))
      visibility = /^visibility:\s*(\w+)/m.exec(text)?.[1];
    if (visibility)
      map.set(name.replace(/(\.meta\.json|\.md|\.html)$/, ''), visibility);
  }
  return map;
}

/** The rules of data/collateral/README.md as the policy ships them. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  seller: ['public', 'internal', 'partner'],
  manager: ['public', 'internal', 'partner', 'confidential'],
  admin: ['public', 'internal', 'partner', 'confidential'],
  partner: ['public', 'partner'],
  auditor: [],
};

// Between them these touch documents of every class, confidential ones included.
const QUERIES = [
  'pricing discount floor approval partner margin',
  'renewal risk executive sponsor account notes',
  'competitive displacement deal desk Snowflake Databricks',
  'case study customer results streaming',
];

describe('Search over gRPC applies the authz document classes', () => {
  let rt: RetrievalUnderTest;
  const visibility = corpusVisibility();

  beforeAll(async () => {
    rt = await startRetrievalForTest();
  });
  afterAll(async () => {
    await rt?.stop();
  });

  for (const [role, allowed] of Object.entries(ALLOWED)) {
    it(`a ${role} gets results from exactly the classes a ${role} may read`, async () => {
      const principalToken = await rt.tokenFor([
        role as Principal['roles'][number],
      ]);
      const seen = new Set<string>();
      for (const query of QUERIES) {
        const response = await rt.client.search(
          { query, topK: 50 },
          { principalToken },
        );
        for (const result of response.results) {
          const documentId = result.citation?.documentId ?? '';
          const cls = visibility.get(documentId);
          expect(allowed, `${documentId} (${cls})`).toContain(cls);
          seen.add(cls ?? '');
          // Citation: span inside the document, snippet quoted verbatim from the chunk.
          const citation = result.citation!;
          expect(citation.charEnd).toBeGreaterThan(citation.charStart);
          expect(citation.snippet.length).toBeGreaterThan(0);
          expect(citation.snippet.length).toBeLessThanOrEqual(500);
          expect(result.text).toContain(citation.snippet);
          expect(result.metadata?.visibility).toBe(
            cls === 'public'
              ? DocumentVisibility.PUBLIC
              : cls === 'internal'
                ? DocumentVisibility.INTERNAL
                : DocumentVisibility.RESTRICTED,
          );
        }
      }
      expect([...seen].sort()).toEqual([...allowed].sort());
    });
  }

  it('a confidential document is NOT_FOUND for a seller and readable by a manager', async () => {
    const seller = await rt.tokenFor(['seller']);
    await expect(
      rt.client.getDocument(
        { documentId: 'pricing-floors-fy2026', includeChunks: true },
        { principalToken: seller },
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', grpcStatus: 5 });
    const manager = await rt.tokenFor(['manager']);
    const response = await rt.client.getDocument(
      { documentId: 'pricing-floors-fy2026', includeChunks: true },
      { principalToken: manager },
    );
    expect(response.document?.metadata?.visibility).toBe(
      DocumentVisibility.RESTRICTED,
    );
    expect(response.document?.metadata?.allowedRoles).toEqual([
      'manager',
      'admin',
    ]);
    expect(response.chunks.length).toBe(response.document?.chunkCount);
    expect(response.chunks.map((c) => c.ordinal)).toEqual(
      response.chunks.map((_, i) => i),
    );
  });

  it('another tenant sees none of the lumen corpus', async () => {
    const principalToken = await rt.tokenFor(['admin'], 'northstar');
    for (const query of QUERIES) {
      const response = await rt.client.search(
        { query, topK: 50 },
        { principalToken },
      );
      expect(response.results).toEqual([]);
    }
    await expect(
      rt.client.getDocument(
        { documentId: 'battlecard-stream-vs-confluent', includeChunks: false },
        { principalToken },
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('filters narrow the results to the requested competitor', async () => {
    const principalToken = await rt.tokenFor(['seller']);
    const response = await rt.client.search(
      {
        query: 'how do we win against them',
        topK: 20,
        filters: {
          types: [],
          products: [],
          competitors: ['Confluent'],
          industries: [],
          regions: [],
        },
      },
      { principalToken },
    );
    expect(response.results.length).toBeGreaterThan(0);
    for (const result of response.results)
      expect(result.metadata?.competitors).toContain('Confluent');
  });
});
