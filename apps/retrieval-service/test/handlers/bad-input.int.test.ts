import {
  DocumentType,
  DocumentVisibility,
  type DocumentInput,
  type DocumentMetadata,
} from '@fieldwise/contracts';
import { FieldwiseError } from '@fieldwise/errors';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startRetrievalForTest,
  type RetrievalUnderTest,
} from './retrieval-test-service.js';

const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
/** Statuses a bad request must never produce. */
const SERVER_FAULTS = [2, 13];

const NO_METADATA: DocumentMetadata = {
  type: DocumentType.UNSPECIFIED,
  products: [],
  competitors: [],
  industries: [],
  regions: [],
  visibility: DocumentVisibility.UNSPECIFIED,
  allowedRoles: [],
  owner: '',
  updated: '',
};

function input(overrides: Partial<DocumentInput>): DocumentInput {
  return {
    id: 'playbook-bad-input',
    title: '',
    content: { $case: 'text', value: '# Title\n\nText.' },
    mediaType: 'text/markdown',
    metadata: NO_METADATA,
    sourceUri: '',
    ...overrides,
  };
}

/** Awaits a call and returns its gRPC status, 0 for success. */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 0;
  } catch (error) {
    if (error instanceof FieldwiseError && 'grpcStatus' in error)
      return (error as FieldwiseError & { grpcStatus: number }).grpcStatus;
    throw error;
  }
}

describe('bad input on every RPC is a client error, never INTERNAL', () => {
  let rt: RetrievalUnderTest;
  let token: string;

  beforeAll(async () => {
    rt = await startRetrievalForTest(['battlecard-stream-vs-confluent.md']);
    // A content manager passes every permission check, so validation is what answers.
    token = await rt.tokenFor(['content-manager']);
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('IngestDocuments: malformed batches are INVALID_ARGUMENT naming the field', async () => {
    const cases: [string, DocumentInput[]][] = [
      ['documents', []],
      [
        'documents',
        Array.from({ length: 101 }, (_, i) => input({ id: `doc-${i}` })),
      ],
      ['documents[0].id', [input({ id: '' })]],
      ['documents[0].id', [input({ id: 'a/b' })]],
      ['documents[0].id', [input({ id: 'x'.repeat(129) })]],
      ['documents[1].id', [input({ id: 'same' }), input({ id: 'same' })]],
      ['documents[0].content', [input({ content: undefined })]],
    ];
    for (const [field, documents] of cases) {
      const error = await rt.client
        .ingestDocuments({ documents }, { principalToken: token })
        .then(
          () => undefined,
          (e: unknown) => e as FieldwiseError,
        );
      expect(error?.code, field).toBe('VALIDATION_FAILED');
      expect(error?.violations.map((v) => v.field)).toContain(field);
    }
  });

  it('IngestDocuments: unknown enum values reject the document, not the call', async () => {
    const response = await rt.client.ingestDocuments(
      {
        documents: [
          input({
            id: 'bad-type',
            metadata: { ...NO_METADATA, type: 42 as DocumentType },
          }),
          input({
            id: 'bad-visibility',
            metadata: {
              ...NO_METADATA,
              visibility: 9 as DocumentVisibility,
            },
          }),
          input({
            id: 'roles-without-restricted',
            metadata: {
              ...NO_METADATA,
              visibility: DocumentVisibility.PUBLIC,
              allowedRoles: ['seller'],
            },
          }),
        ],
      },
      { principalToken: token },
    );
    expect(response.results.map((r) => r.reasonCode)).toEqual([
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
    ]);
  });

  it('Search: bad query, top_k and filters are INVALID_ARGUMENT', async () => {
    const bad = [
      { query: '', topK: 0 },
      { query: '   ', topK: 0 },
      { query: 'x'.repeat(2_001), topK: 0 },
      { query: 'pricing', topK: -1 },
      { query: 'pricing', topK: 51 },
      {
        query: 'pricing',
        topK: 5,
        filters: {
          types: [77 as DocumentType],
          products: [],
          competitors: [],
          industries: [],
          regions: [],
        },
      },
      {
        query: 'pricing',
        topK: 5,
        filters: {
          types: [DocumentType.UNSPECIFIED],
          products: [],
          competitors: [],
          industries: [],
          regions: [],
        },
      },
    ];
    for (const request of bad) {
      expect(
        await statusOf(rt.client.search(request, { principalToken: token })),
        JSON.stringify(request).slice(0, 80),
      ).toBe(INVALID_ARGUMENT);
    }
  });

  it('GetDocument and DeleteDocument: empty id is INVALID_ARGUMENT, unknown id NOT_FOUND', async () => {
    for (const documentId of ['', '   ', 'x'.repeat(129)]) {
      expect(
        await statusOf(
          rt.client.getDocument(
            { documentId, includeChunks: true },
            { principalToken: token },
          ),
        ),
      ).toBe(INVALID_ARGUMENT);
      expect(
        await statusOf(
          rt.client.deleteDocument({ documentId }, { principalToken: token }),
        ),
      ).toBe(INVALID_ARGUMENT);
    }
    for (const documentId of ['no-such-document', '../etc/passwd', '%00']) {
      expect(
        await statusOf(
          rt.client.getDocument(
            { documentId, includeChunks: true },
            { principalToken: token },
          ),
        ),
      ).toBe(NOT_FOUND);
      expect(
        await statusOf(
          rt.client.deleteDocument({ documentId }, { principalToken: token }),
        ),
      ).toBe(NOT_FOUND);
    }
  });

  it('Embed: empty, oversized and wrong-model requests are INVALID_ARGUMENT', async () => {
    const bad = [
      { texts: [], model: '' },
      { texts: Array.from({ length: 257 }, () => 'a'), model: '' },
      { texts: [''], model: '' },
      { texts: ['ok', ' '], model: '' },
      { texts: ['x'.repeat(8_001)], model: '' },
      { texts: ['ok'], model: 'text-embedding-3-large' },
    ];
    for (const request of bad) {
      expect(
        await statusOf(rt.client.embed(request, { principalToken: token })),
      ).toBe(INVALID_ARGUMENT);
    }
    const good = await rt.client.embed(
      { texts: ['streaming battlecard', 'pricing floors'], model: '' },
      { principalToken: token },
    );
    expect(good.embeddings).toHaveLength(2);
    for (const { values } of good.embeddings) {
      expect(values).toHaveLength(good.dimensions);
      const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
      expect(norm).toBeCloseTo(1, 3);
    }
  });

  it('a principal with a malformed tenant gets a client error on every RPC', async () => {
    const principalToken = await rt.tokenFor(
      ['content-manager'],
      'Not A Tenant',
    );
    const calls = [
      () =>
        rt.client.ingestDocuments(
          { documents: [input({})] },
          { principalToken },
        ),
      () => rt.client.search({ query: 'pricing', topK: 5 }, { principalToken }),
      () =>
        rt.client.getDocument(
          {
            documentId: 'battlecard-stream-vs-confluent',
            includeChunks: false,
          },
          { principalToken },
        ),
      () =>
        rt.client.deleteDocument(
          { documentId: 'battlecard-stream-vs-confluent' },
          { principalToken },
        ),
    ];
    // Calls start one at a time, so no rejection waits unobserved.
    for (const call of calls) {
      const status = await statusOf(call());
      expect(SERVER_FAULTS).not.toContain(status);
    }
  });

  // Random requests: whatever the values, the answer is a result or a client error.
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('', ' ', '\u0000', '..', 'x'.repeat(2_100)),
  );
  const enumValue = fc.oneof(
    fc.integer({ min: -3, max: 12 }),
    fc.constant(2_147_483_647),
  );
  const metadata = fc.record({
    type: enumValue,
    products: fc.array(text, { maxLength: 3 }),
    competitors: fc.array(text, { maxLength: 3 }),
    industries: fc.array(text, { maxLength: 3 }),
    regions: fc.array(text, { maxLength: 3 }),
    visibility: enumValue,
    allowedRoles: fc.array(
      fc.oneof(text, fc.constantFrom('seller', 'partner', 'manager')),
      { maxLength: 3 },
    ),
    owner: text,
    updated: fc.oneof(text, fc.constantFrom('2026-02-30', '2026-01-15')),
  });
  const documentInput = fc.record({
    id: fc.oneof(text, fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/)),
    title: text,
    content: fc.option(
      fc.oneof(
        fc
          .oneof(text, fc.constantFrom('---\nvisibility: public\n---\n# T'))
          .map((value) => ({ $case: 'text' as const, value })),
        fc.uint8Array({ maxLength: 64 }).map((bytes) => ({
          $case: 'data' as const,
          value: Buffer.from(bytes),
        })),
      ),
      { nil: undefined },
    ),
    mediaType: fc.oneof(
      text,
      fc.constantFrom(
        'text/markdown',
        'text/html',
        'text/plain',
        'application/pdf',
        'TEXT/HTML; charset=utf-8',
      ),
    ),
    metadata: fc.option(metadata, { nil: undefined }),
    sourceUri: text,
  });

  it('random requests to every RPC never give INTERNAL or UNKNOWN', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(documentInput, { maxLength: 4 }),
        fc.record({
          query: text,
          topK: fc.integer({ min: -5, max: 60 }),
          filters: fc.option(
            fc.record({
              types: fc.array(enumValue, { maxLength: 3 }),
              products: fc.array(text, { maxLength: 2 }),
              competitors: fc.array(text, { maxLength: 2 }),
              industries: fc.array(text, { maxLength: 2 }),
              regions: fc.array(text, { maxLength: 2 }),
            }),
            { nil: undefined },
          ),
        }),
        text,
        fc.record({
          texts: fc.array(text, { maxLength: 4 }),
          model: fc.oneof(text, fc.constant('')),
        }),
        async (documents, search, documentId, embed) => {
          const statuses = [
            await statusOf(
              rt.client.ingestDocuments(
                { documents: documents },
                { principalToken: token },
              ),
            ),
            await statusOf(
              rt.client.search(
                {
                  query: search.query,
                  topK: search.topK,
                  ...(search.filters
                    ? {
                        filters: {
                          ...search.filters,
                          types: search.filters.types,
                        },
                      }
                    : {}),
                },
                { principalToken: token },
              ),
            ),
            await statusOf(
              rt.client.getDocument(
                { documentId, includeChunks: true },
                { principalToken: token },
              ),
            ),
            await statusOf(
              rt.client.deleteDocument(
                { documentId: `${documentId}-absent` },
                { principalToken: token },
              ),
            ),
            await statusOf(rt.client.embed(embed, { principalToken: token })),
          ];
          for (const status of statuses)
            expect(SERVER_FAULTS).not.toContain(status);
        },
      ),
      { numRuns: 40 },
    );
  });
});
