// `npm run bench -- <name>`: runs bench/<name>/index.ts. Benchmarks print
// their figures and end with a one-line summary holding the ratio against a
// baseline measured in the same run. They are not tests and assert nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const names = readdirSync(join(root, 'bench'), { withFileTypes: true })
  .filter(
    (entry) =>
      entry.isDirectory() &&
      existsSync(join(root, 'bench', entry.name, 'index.ts')),
  )
  .map((entry) => entry.name);
const [name, ...rest] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <${names.join('|')}> [options]`);
  process.exit(2);
}
// Benchmarks import libraries by package name, which resolve to their builds.
const build = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'build', '--outputStyle=static'],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false' },
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', join(root, 'bench', name, 'index.ts'), ...rest],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
