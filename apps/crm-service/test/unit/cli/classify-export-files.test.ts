import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyExportFiles } from '../../../src/cli/classify-export-files.js';

const fixtures = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'fixtures',
  'messy',
);

describe('classifyExportFiles', () => {
  it('recognises Account and Opportunity exports by their columns, whatever their order', async () => {
    const accounts = join(fixtures, 'accounts.csv');
    const opportunities = join(fixtures, 'opportunities.json');
    await expect(
      classifyExportFiles([opportunities, accounts]),
    ).resolves.toEqual({
      accounts: [accounts],
      opportunities: [opportunities],
    });
  });
});
