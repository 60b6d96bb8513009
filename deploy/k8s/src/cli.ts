// `npm run deploy:render` writes deploy/k8s/rendered/<env>/*.yaml;
// `npm run deploy:check` fails when the committed files differ from a fresh
// rendering (every object is schema-validated on the way in both cases).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { RENDERED_DIR, REPO_ROOT, diffRendered, renderAll } from './render.js';

const command = process.argv[2];
const rendered = await renderAll();
const where = relative(REPO_ROOT, RENDERED_DIR);

if (command === 'render') {
  const { extra } = diffRendered(rendered);
  for (const path of extra) rmSync(join(RENDERED_DIR, path));
  for (const [path, text] of rendered) {
    mkdirSync(dirname(join(RENDERED_DIR, path)), { recursive: true });
    writeFileSync(join(RENDERED_DIR, path), text);
  }
  console.log(`rendered ${rendered.size} files into ${where}`);
} else if (command === 'check') {
  const diff = diffRendered(rendered);
  const stale = [
    ...diff.missing.map((path) => `missing: ${path}`),
    ...diff.changed.map((path) => `changed: ${path}`),
    ...diff.extra.map((path) => `not rendered any more: ${path}`),
  ];
  if (stale.length > 0) {
    console.error(
      `${where} is stale; run npm run deploy:render and commit:\n  ${stale.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(`${where}: ${rendered.size} files valid and up to date`);
} else {
  console.error('usage: cli.ts render|check');
  process.exit(2);
}
