import { DocumentType } from '@fieldwise/contracts';
import type { Principal } from '@fieldwise/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SMALL_CORPUS,
  startRetrievalForTest,
  type RetrievalUnderTest,
} from './retrieval-test-service.js';

// SMALL_CORPUS ids (the PDF's metadata file belongs to the PDF).
const IDS = SMALL_CORPUS.filter((name) => !name.endsWith('.meta.json'))
  .map((name) => name.replace(/\.(md|html|pdf)$/, ''))
  .sort();
// The confidential ones among them (pricing floors, deal desk notes).
const CONFIDENTIAL = [
  'deal-desk-notes-snowflake-competitive',
  'pricing-floors-fy2026',
];

describe('ListDocuments over gRPC', () => {
  let rt: RetrievalUnderTest;

  beforeAll(async () => {
    rt = await startRetrievalForTest(SMALL_CORPUS);
  });
  afterAll(async () => {
    await rt?.stop();
  });

  async function list(
    roles: Principal['roles'],
    options: { tenant?: string; pageSize?: number; type?: DocumentType } = {},
  ): Promise<{ ids: string[]; total: number }> {
    const principalToken = await rt.tokenFor(roles, options.tenant);
    const ids: string[] = [];
    let pageToken = '';
    let total = 0;
    do {
      const response = await rt.client.listDocuments(
        {
          type: options.type ?? DocumentType.UNSPECIFIED,
          page: { pageSize: options.pageSize ?? 0, pageToken },
        },
        { principalToken },
      );
      ids.push(...response.documents.map((d) => d.id));
      pageToken = response.page?.nextPageToken ?? '';
      total = response.page?.totalSize ?? 0;
    } while (pageToken !== '');
    return { ids, total };
  }

  it('lists every document of the tenant to a content manager, confidential ones included', async () => {
    const { ids, total } = await list(['content-manager']);
    expect(ids).toEqual(IDS);
    expect(total).toBe(IDS.length);
    expect(ids).toEqual(expect.arrayContaining(CONFIDENTIAL));
  });

  it('pages by id without gaps or repeats', async () => {
    const { ids } = await list(['content-manager'], { pageSize: 3 });
    expect(ids).toEqual(IDS);
  });

  it('lists only readable documents to anyone else', async () => {
    const seller = await list(['seller']);
    expect(seller.ids.length).toBeGreaterThan(0);
    for (const id of CONFIDENTIAL) expect(seller.ids).not.toContain(id);
    expect(seller.total).toBe(seller.ids.length);
    const manager = await list(['manager']);
    expect(manager.ids).toEqual(expect.arrayContaining(CONFIDENTIAL));
  });

  it('shows another tenant nothing', async () => {
    const { ids } = await list(['content-manager'], { tenant: 'northstar' });
    expect(ids).toEqual([]);
  });

  it('filters by type and returns metadata without content', async () => {
    const principalToken = await rt.tokenFor(['content-manager']);
    const response = await rt.client.listDocuments(
      { type: DocumentType.BATTLECARD, page: undefined },
      { principalToken },
    );
    expect(response.documents.length).toBeGreaterThan(0);
    for (const document of response.documents) {
      expect(document.metadata?.type).toBe(DocumentType.BATTLECARD);
      expect(document.chunkCount).toBeGreaterThan(0);
    }
  });

  it('rejects a token that is not one of its own', async () => {
    const principalToken = await rt.tokenFor(['content-manager']);
    await expect(
      rt.client.listDocuments(
        { type: 0, page: { pageSize: 0, pageToken: '%%%' } },
        { principalToken },
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
