// Image builds only: removes devDependencies from every workspace manifest
// under the current directory, so `npm ci --omit=dev --workspace=<app>`
// installs none of them (npm otherwise installs the devDependencies of the
// workspace libraries an app depends on, e.g. vitest through
// @fieldwise/testing). npm ci still accepts the lock file: it only lists
// more than the manifests ask for, and what is not asked for is skipped.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

for (const group of ['libs', 'apps', 'deploy']) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const file = join(group, name, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    delete manifest.devDependencies;
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  }
}
