// Prints the environment-variable table of a service's config schema, or
// checks that a Markdown file contains it (exit 1 when it is stale).
//
//   npx tsx libs/config/scripts/env-table.ts <module> [exportName] [--check <file.md>]
//
// <module> exports the zod object schema (e.g. apps/gateway/src/config.ts);
// without exportName the module must export exactly one zod object.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { describeEnv, formatEnvTable } from '../src/index.js';

async function main(args: string[]): Promise<number> {
  const checkAt = args.indexOf('--check');
  const checkFile = checkAt >= 0 ? args[checkAt + 1] : undefined;
  const positional = checkAt >= 0 ? args.slice(0, checkAt) : args;
  const [modulePath, exportName] = positional;
  if (!modulePath || (checkAt >= 0 && !checkFile)) {
    process.stderr.write(
      'usage: env-table.ts <module> [exportName] [--check <file.md>]\n',
    );
    return 2;
  }
  const exports = (await import(
    pathToFileURL(resolve(modulePath)).href
  )) as Record<string, unknown>;
  const candidates = Object.entries(exports).filter(
    ([name, value]) =>
      value instanceof z.ZodObject &&
      (exportName === undefined || name === exportName),
  );
  if (candidates.length !== 1) {
    process.stderr.write(
      `expected one zod object export${exportName ? ` named ${exportName}` : ''} in ${modulePath}, found ${candidates.length}\n`,
    );
    return 2;
  }
  const table = formatEnvTable(describeEnv(candidates[0]![1] as z.ZodObject));
  if (checkFile === undefined) {
    process.stdout.write(table);
    return 0;
  }
  if (!existsSync(checkFile)) {
    process.stderr.write(`${checkFile} does not exist\n`);
    return 2;
  }
  if (readFileSync(checkFile, 'utf8').includes(table)) return 0;
  process.stderr.write(
    `${checkFile} does not contain the current environment table; expected:\n${table}`,
  );
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
