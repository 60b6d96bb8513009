#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCrmStore } from '../adapters/store/index.js';
import { importCrmExport } from '../domain/import/import-crm-export.js';
import { renderImportReportMarkdown } from '../domain/import/import-report.js';
import { readExportFile } from '../domain/import/raw-export.js';
import { classifyExportFiles } from './classify-export-files.js';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_DOMAIN_FILE,
  cliLogger,
  loadVocabulary,
} from './args.js';

const usage = `Usage: npm run import -- FILE... [options]
  FILE...                Salesforce-style exports (.csv or .json); each file is
                         recognised as Account or Opportunity rows by its columns
  --accounts FILE        Account export, named explicitly
  --opportunities FILE   Opportunity export, named explicitly
  --tenant ID            target tenant (default lumen)
  --report-dir DIR       where import-report.json and .md go (default ./reports)
  --data-dir DIR         SQLite data dir (default apps/crm-service/.data)
  --database-url URL     PostgreSQL instead of SQLite
  --schema NAME          PostgreSQL schema (default public)
  --domain FILE          business vocabulary (default data/domain.json)`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
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
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const files = await classifyExportFiles(positionals);
  const accountFiles = [
    ...files.accounts,
    ...(values.accounts ? [values.accounts] : []),
  ];
  const opportunityFiles = [
    ...files.opportunities,
    ...(values.opportunities ? [values.opportunities] : []),
  ];
  if (accountFiles.length + opportunityFiles.length === 0) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const logger = cliLogger();
  const vocabulary = loadVocabulary(values.domain ?? DEFAULT_DOMAIN_FILE);
  const accountRows = (
    await Promise.all(accountFiles.map((f) => readExportFile(f)))
  ).flat();
  const opportunityRows = (
    await Promise.all(opportunityFiles.map((f) => readExportFile(f)))
  ).flat();
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
        accounts: {
          source: accountFiles.join(', ') || '(none)',
          rows: accountRows,
        },
        opportunities: {
          source: opportunityFiles.join(', ') || '(none)',
          rows: opportunityRows,
        },
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
