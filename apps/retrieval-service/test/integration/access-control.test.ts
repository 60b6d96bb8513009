import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  scopeForRoles,
  visibleClassesForRoles,
} from '../../src/domain/access.js';
import { getDocument, searchCollateral } from '../../src/domain/search.js';
import type { Visibility } from '../../src/domain/model.js';
import {
  COLLATERAL_DIR,
  createHarness,
  ingestCorpus,
  type Harness,
} from '../helpers/fixtures.js';

/** Visibility of every corpus document, read straight from the files (independent of the parser). */
function corpusVisibility(): Map<string, Visibility> {
  const map = new Map<string, Visibility>();
  for (const name of readdirSync(COLLATERAL_DIR).filter((n) =>
    /\.(md|html|json)$/.test(n),
  )) {
    const text = readFileSync(join(COLLATERAL_DIR, name), 'utf8');
    const id = name.replace(/\.(md|html|meta\.json)$/, '');
    const md = /^visibility:\s*(\w+)/m.exec(text);
    const html = /name="fieldwise:visibility" content="(\w+)"/.exec(text);
    const json = name.endsWith('.meta.json')
      ? (JSON.parse(text) as { visibility: Visibility }).visibility
      : null;
    const visibility = (json ??
      html?.[1] ??
      (name.endsWith('.md') && name !== 'README.md'
        ? md?.[1]
        : null)) as Visibility | null;
    if (visibility) map.set(id, visibility);
  }
  return map;
}

describe('access control inside search', () => {
  let harness: Harness;
  const visibility = corpusVisibility();
  // Pricing is discussed in public, internal, partner and confidential documents alike.
  const query = 'pricing discount floor approval partner margin';

  beforeAll(async () => {
    harness = createHarness();
    await ingestCorpus(harness.deps);
  });
  afterAll(async () => {
    await harness.cleanup();
  });

  const allowed: Record<string, readonly Visibility[]> = {
    seller: ['public', 'internal', 'partner'],
    manager: ['public', 'internal', 'partner', 'confidential'],
    partner: ['public', 'partner'],
    admin: ['public', 'internal', 'partner', 'confidential'],
  };

  for (const role of ['seller', 'manager', 'partner', 'admin']) {
    it(`a ${role} gets exactly the documents the ${role} may see`, async () => {
      const classes = allowed[role] as readonly Visibility[];
      expect(visibleClassesForRoles([role])).toEqual(classes);
      const seen = new Set<string>();
      for (const mode of ['hybrid', 'lexical', 'vector'] as const) {
        const { hits } = await searchCollateral(harness.deps, {
          query,
          scope: scopeForRoles('lumen', [role]),
          limit: 50,
          maxChunksPerDocument: 1,
          mode,
        });
        expect(hits.length).toBeGreaterThan(0);
        for (const hit of hits) {
          expect(classes).toContain(visibility.get(hit.citation.documentId));
          seen.add(hit.citation.documentId);
        }
      }
      // The result set covers every class the role may see (so the filter is not over-strict).
      const seenClasses = new Set([...seen].map((id) => visibility.get(id)));
      expect([...seenClasses].sort()).toEqual([...classes].sort());
    });
  }

  it('a query only confidential documents answer returns none of them to a seller, all of them to a manager', async () => {
    const query = 'CFO exception below floor pricing floors';
    const seller = await searchCollateral(harness.deps, {
      query,
      scope: scopeForRoles('lumen', ['seller']),
      limit: 50,
    });
    const manager = await searchCollateral(harness.deps, {
      query,
      scope: scopeForRoles('lumen', ['manager']),
      limit: 50,
    });
    expect(seller.hits.some((h) => h.visibility === 'confidential')).toBe(
      false,
    );
    expect(manager.hits[0]?.citation.documentId).toBe('pricing-floors-fy2026');
  });

  it('another tenant and a security auditor see nothing', async () => {
    const northstar = await searchCollateral(harness.deps, {
      query,
      scope: scopeForRoles('northstar', ['admin']),
      limit: 50,
    });
    const auditor = await searchCollateral(harness.deps, {
      query,
      scope: scopeForRoles('lumen', ['auditor']),
      limit: 50,
    });
    expect(northstar.hits).toEqual([]);
    expect(auditor.hits).toEqual([]);
  });

  it('get document answers NOT_FOUND for an invisible document, as for a missing one', () => {
    const seller = scopeForRoles('lumen', ['seller']);
    expect(() =>
      getDocument(harness.deps, {
        scope: seller,
        documentId: 'pricing-floors-fy2026',
      }),
    ).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() =>
      getDocument(harness.deps, { scope: seller, documentId: 'no-such-doc' }),
    ).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const manager = scopeForRoles('lumen', ['manager']);
    expect(
      getDocument(harness.deps, {
        scope: manager,
        documentId: 'pricing-floors-fy2026',
      }).text,
    ).toContain('$1.86');
    expect(() =>
      getDocument(harness.deps, {
        scope: scopeForRoles('northstar', ['admin']),
        documentId: 'pricing-floors-fy2026',
      }),
    ).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('filters narrow results inside the scope and carry citations with marked snippets', async () => {
    const { hits } = await searchCollateral(harness.deps, {
      query: 'customer stories',
      scope: scopeForRoles('lumen', ['seller']),
      filters: { type: ['case-study'], regions: ['APJ'] },
      limit: 10,
    });
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(hit.type).toBe('case-study');
      const doc = getDocument(harness.deps, {
        scope: scopeForRoles('lumen', ['seller']),
        documentId: hit.citation.documentId,
      });
      expect(
        doc.metadata.regions.some((r) => r === 'APJ' || r === 'global'),
      ).toBe(true);
      expect(
        doc.text.slice(hit.citation.span.start, hit.citation.span.end),
      ).toBe(hit.text);
    }
    const top = (
      await searchCollateral(harness.deps, {
        query: 'BYOK encryption keys',
        scope: scopeForRoles('lumen', ['seller']),
      })
    ).hits[0];
    expect(top?.citation.documentId).toBe('security-faq-encryption-and-keys');
    expect(top?.snippet.marked).toMatch(/«(keys|encryption|BYOK)»/i);
    expect(top?.citation.sectionPath.length).toBeGreaterThan(0);
  });
});
