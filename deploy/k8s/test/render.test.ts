import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  ENVIRONMENTS,
  RENDERED_DIR,
  diffRendered,
  listYaml,
  renderAll,
} from '../src/index.js';

const rendered = await renderAll();
const scratch = mkdtempSync(join(tmpdir(), 'fieldwise-deploy-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeTree(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

describe('rendered manifests', () => {
  it('covers every environment', () => {
    const environments = new Set(
      [...rendered.keys()].map((path) => path.split('/')[0]),
    );
    expect([...environments].sort()).toEqual(
      ENVIRONMENTS.map((params) => params.environment).sort(),
    );
  });

  it('are committed and up to date (npm run deploy:render)', () => {
    expect(diffRendered(rendered, RENDERED_DIR)).toEqual({
      missing: [],
      changed: [],
      extra: [],
    });
  });

  it('parse back as YAML documents with a kind and a name', () => {
    for (const [path, text] of rendered) {
      const documents = parseAllDocuments(text);
      expect(documents.length, path).toBeGreaterThan(0);
      for (const document of documents) {
        expect(document.errors, path).toEqual([]);
        const object = document.toJS() as {
          kind?: string;
          metadata?: { name?: string };
        };
        expect(object.kind, path).toBeTruthy();
        expect(object.metadata?.name, path).toBeTruthy();
      }
    }
  });

  it('the staleness check finds changed, missing and leftover files', () => {
    const dir = join(scratch, 'stale');
    writeTree(dir, rendered);
    expect(diffRendered(rendered, dir)).toEqual({
      missing: [],
      changed: [],
      extra: [],
    });
    const [first, second] = [...rendered.keys()];
    if (!first || !second) throw new Error('nothing rendered');
    writeFileSync(join(dir, first), `${rendered.get(first)}# edited\n`);
    rmSync(join(dir, second));
    writeFileSync(join(dir, 'production', 'old-service.yaml'), 'kind: x\n');
    expect(diffRendered(rendered, dir)).toEqual({
      missing: [second],
      changed: [first],
      extra: ['production/old-service.yaml'],
    });
    expect(listYaml(join(scratch, 'absent'))).toEqual([]);
  });
});
