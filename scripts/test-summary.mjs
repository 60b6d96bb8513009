// Adds up the "Tests ..." lines of every Vitest project in a log and prints one
// plain closing line, "N passed, N failed, N skipped", for CI to read.
import { readFileSync } from 'node:fs';

const log = readFileSync(process.argv[2] ?? 0, 'utf8').replace(
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-9;]*m/g,
  '',
);
const totals = { passed: 0, failed: 0, skipped: 0 };
let projects = 0;
for (const line of log.split('\n')) {
  const match = /(?:^|\s)Tests\s{2,}(.*\(\d+\))\s*$/.exec(line);
  if (!match) continue;
  projects += 1;
  for (const [, count, kind] of match[1].matchAll(
    /(\d+) (passed|failed|skipped|todo)/g,
  )) {
    if (kind === 'todo') totals.skipped += Number(count);
    else totals[kind] += Number(count);
  }
}
console.log(`test projects: ${projects}`);
console.log(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
);
process.exit(projects === 0 || totals.failed > 0 ? 1 : 0);
