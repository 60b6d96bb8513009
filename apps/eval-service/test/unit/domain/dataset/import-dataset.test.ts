import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteEvalStore } from '../../../../src/adapters/store/sqlite-eval-store.js';
import { importDataset } from '../../../../src/domain/dataset/import-dataset.js';
import {
  exportCasesJsonl,
  parseCasesJsonl,
} from '../../../../src/domain/dataset/jsonl.js';
import type { EvalDeps } from '../../../../src/domain/deps.js';
import {
  memoryStore,
  readText,
  SAMPLE_DATASET,
  testDeps,
} from '../../../helpers/fixtures.js';

const good = (id: string, message = `question ${id}?`) =>
  JSON.stringify({
    id,
    user: { userId: 'usr-lumen-seller-01', tenant: 'lumen', role: 'seller' },
    request: { message },
    requiredFacts: ['Acme Corporation'],
  });

describe('parseCasesJsonl', () => {
  it('reports each bad line with its number and reason and keeps the valid ones', () => {
    const text = [
      good('a'),
      '',
      '{not json',
      JSON.stringify({
        id: 'b',
        user: { userId: 'u', tenant: 'lumen', role: 'pirate' },
        request: { message: 'x' },
      }),
      good('c'),
      good('a', 'again?'),
      JSON.stringify({
        id: 'd',
        user: { userId: 'u', tenant: 'lumen', role: 'seller' },
        request: { message: '   ' },
      }),
      JSON.stringify({
        id: 'e',
        user: { userId: 'u', tenant: 'lumen', role: 'seller' },
        request: { message: 'x' },
        surprise: 1,
      }),
    ].join('\n');
    const parsed = parseCasesJsonl(text);
    expect(parsed.cases.map((c) => c.id)).toEqual(['a', 'c']);
    expect(parsed.errors.map((e) => e.line)).toEqual([3, 4, 6, 7, 8]);
    expect(parsed.errors[0]?.message).toMatch(/^invalid JSON/);
    expect(parsed.errors[1]?.message).toMatch(/^user\.role:/);
    expect(parsed.errors[2]?.message).toBe(
      "id: duplicate case id 'a' (first on line 1)",
    );
    expect(parsed.errors[3]?.message).toMatch(/^request/);
    expect(parsed.errors[4]?.message).toMatch(/surprise/);
  });

  it('round-trips the sample dataset through export', () => {
    const parsed = parseCasesJsonl(readText(SAMPLE_DATASET));
    expect(parsed.errors).toEqual([]);
    expect(parsed.cases).toHaveLength(10);
    expect(parseCasesJsonl(exportCasesJsonl(parsed.cases)).cases).toEqual(
      parsed.cases,
    );
  });
});

describe('importDataset', () => {
  let store: SqliteEvalStore;
  let deps: EvalDeps;
  beforeEach(async () => {
    store = await memoryStore();
    deps = testDeps(store);
  });
  afterEach(async () => {
    await store.close();
  });

  const base = { tenant: 'lumen', datasetName: 'sample', createdBy: 'tester' };

  it('imports the valid lines, reports the bad ones and versions by content', async () => {
    const first = await importDataset(deps, {
      ...base,
      jsonl: `${good('a')}\n{oops\n${good('b')}\n`,
    });
    expect(first).toMatchObject({
      created: true,
      importedCases: 2,
      version: { version: 1, caseCount: 2 },
    });
    expect(first.errors).toEqual([
      { line: 2, message: expect.stringMatching(/^invalid JSON/) as string },
    ]);

    // Same content, different key order and whitespace: no new version.
    const reordered = parseCasesJsonl(`${good('a')}\n${good('b')}`).cases.map(
      (c) => JSON.stringify(Object.fromEntries(Object.entries(c).reverse())),
    );
    const same = await importDataset(deps, {
      ...base,
      jsonl: `\n${reordered.join('\n\n')}\n`,
    });
    expect(same).toMatchObject({ created: false, version: { version: 1 } });

    const changed = await importDataset(deps, {
      ...base,
      jsonl: `${good('a')}\n${good('b', 'changed?')}`,
    });
    expect(changed).toMatchObject({ created: true, version: { version: 2 } });
    expect(
      (await store.listDatasetVersions(first.dataset.id)).map((v) => v.version),
    ).toEqual([2, 1]);
  });

  it('merges by case id when asked', async () => {
    await importDataset(deps, { ...base, jsonl: `${good('a')}\n${good('b')}` });
    const merged = await importDataset(deps, {
      ...base,
      mode: 'merge',
      jsonl: `${good('b', 'new b?')}\n${good('c')}`,
    });
    const cases = await store.getCases(
      merged.dataset.id,
      merged.version?.version ?? 0,
    );
    expect(
      cases.map((c) => [c.id, 'message' in c.request ? c.request.message : '']),
    ).toEqual([
      ['a', 'question a?'],
      ['b', 'new b?'],
      ['c', 'question c?'],
    ]);
  });

  it('imports nothing when rejecting invalid lines, or when no line is valid', async () => {
    await expect(
      importDataset(deps, {
        ...base,
        onInvalidLine: 'reject',
        jsonl: `${good('a')}\n[]`,
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      violations: [{ field: 'line 2' }],
    });
    await expect(
      importDataset(deps, { ...base, jsonl: '\n\n' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await store.findDatasetByName('lumen', 'sample')).toBeUndefined();
  });
});
