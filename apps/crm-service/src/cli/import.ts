#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCrmStore } from '../adapters/store/index.js';
import { importCrmExport } from '../domain/import/import-crm-export.js';
import { renderImportReportMarkdown } from '../domain/import/import-report.js';
import { readExportFile } from '../domain/import/raw-export.js';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_DOMAIN_FILE,
  cliLogger,
  loadVocabulary,
} from './args.js';

const usage = `Usage: npm run import -w @fieldwise/crm-service -- --accounts FILE --opportunities FILE [options]
  --accounts FILE        Account export (.csv or .json)
  --opportunities FILE   Opportunity export (.csv or .json)
  --tenant ID            target tenant (default lumen)
  --report-dir DIR       where import-report.json and .md go (default ./reports)
  --data-dir DIR         SQLite data dir (default apps/crm-service/.data)
  --database-url URL     PostgreSQL instead of SQLite
  --schema NAME          PostgreSQL schema (default public)
  --domain FILE          business vocabulary (default data/domain.json)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string' },
      opportunities: { type: 'string' },
      tenant: { type: 'string' },
      'report-dir': { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      schema: { type: 'string' },
      domain: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.accounts || !values.opportunities) {
    process.stdout.write(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  const logger = cliLogger();
  const vocabulary = loadVocabulary(values.domain ?? DEFAULT_DOMAIN_FILE);
  const [accountRows, opportunityRows] = await Promise.all([
    readExportFile(values.accounts),
    readExportFile(values.opportunities),
  ]);
  const store = await openCrmStore(
    {
      databaseUrl: values['database-url'],
      dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR,
      schema: values.schema,
    },
    logger,
  );
  try {
    const report = await importCrmExport(
      { store, logger, clock: () => new Date() },
      {
        tenant: values.tenant ?? 'lumen',
        industries: vocabulary.industries,
        accounts: { source: values.accounts, rows: accountRows },
        opportunities: { source: values.opportunities, rows: opportunityRows },
      },
    );
    const dir = values['report-dir'] ?? 'reports';
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'import-report.json'),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    await writeFile(
      join(dir, 'import-report.md'),
      renderImportReportMarkdown(report),
    );
    process.stdout.write(
      `${JSON.stringify({ totals: report.totals, countsByKind: report.countsByKind, reportDir: dir }, null, 2)}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `import failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
