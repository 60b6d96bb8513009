// One-off scaffolder kept for adding packages consistently: node scripts/scaffold.mjs lib|app <name> <scope>
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [kind, name, scope = 'shared'] = process.argv.slice(2);
if (!kind || !name) throw new Error('usage: scaffold lib|app <name> [scope]');
const dir = join(kind === 'lib' ? 'libs' : 'apps', name);
const write = (file, text) => {
  const path = join(dir, file);
  if (!existsSync(path)) writeFileSync(path, text);
};
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
const pkg = {
  name: `@fieldwise/${name}`,
  version: '0.1.0',
  private: true,
  type: 'module',
  ...(kind === 'lib'
    ? {
        exports: {
          '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        },
      }
    : {}),
  scripts: {
    build: 'tsc -p tsconfig.build.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    lint: 'eslint .',
    test: 'vitest run',
    ...(kind === 'app' ? { start: 'node dist/main.js' } : {}),
  },
  nx: { tags: [`type:${kind}`, `scope:${scope}`] },
};
write('package.json', JSON.stringify(pkg, null, 2) + '\n');
write(
  'tsconfig.json',
  JSON.stringify(
    {
      extends: '../../tsconfig.base.json',
      compilerOptions: { noEmit: true },
      include: ['src', 'test', 'vitest.config.ts'],
    },
    null,
    2,
  ) + '\n',
);
write(
  'tsconfig.build.json',
  JSON.stringify(
    {
      extends: './tsconfig.json',
      compilerOptions: { noEmit: false, rootDir: 'src', outDir: 'dist' },
      include: ['src'],
    },
    null,
    2,
  ) + '\n',
);
write(
  'vitest.config.ts',
  `import { defineProject } from 'vitest/config';
import { sharedProjectConfig } from '../../vitest.shared.js';

export default defineProject(sharedProjectConfig(import.meta.dirname));
`,
);
