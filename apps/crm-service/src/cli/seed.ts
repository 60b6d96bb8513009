#!/usr/bin/env node
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openCrmStore } from '../adapters/store/index.js';
import {
  DEFAULT_REFERENCE_DATE,
  DEFAULT_SEED,
  datasetDigest,
  generateGoldDataset,
} from '../domain/generator/generate.js';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_DOMAIN_FILE,
  cliLogger,
  loadVocabulary,
} from './args.js';

const usage = `Usage: npm run seed -w @fieldwise/crm-service -- [options]
  --data-dir DIR         SQLite data dir (default apps/crm-service/.data)
  --database-url URL     PostgreSQL instead of SQLite
  --schema NAME          PostgreSQL schema (default public)
  --seed TEXT            generator seed (default ${DEFAULT_SEED})
  --reference-date DATE  the dataset's "today" (default ${DEFAULT_REFERENCE_DATE})
  --domain FILE          business vocabulary (default data/domain.json)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      schema: { type: 'string' },
      seed: { type: 'string' },
      'reference-date': { type: 'string' },
      domain: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const logger = cliLogger();
  const vocabulary = loadVocabulary(values.domain ?? DEFAULT_DOMAIN_FILE);
  const seed = values.seed ?? DEFAULT_SEED;
  const referenceDate = values['reference-date'] ?? DEFAULT_REFERENCE_DATE;
  const started = performance.now();
  const data = generateGoldDataset(vocabulary, { seed, referenceDate });
  const generatedMs = performance.now() - started;
  const store = await openCrmStore(
    {
      databaseUrl: values['database-url'],
      dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR,
      schema: values.schema,
    },
    logger,
  );
  try {
    const already = await Promise.all(
      data.tenants.map((t) => store.getTenant(t.id)),
    );
    if (already.some((t) => t !== undefined)) {
      logger.warn('store already holds seeded tenants; nothing inserted');
      return 0;
    }
    const insertStart = performance.now();
    await store.insertDataset(data);
    const insertMs = performance.now() - insertStart;
    const summary = {
      adapter: store.kind,
      seed,
      referenceDate,
      digest: datasetDigest(data),
      generatedMs: Math.round(generatedMs),
      insertMs: Math.round(insertMs),
      rows: Object.fromEntries(
        Object.entries(data).map(([k, v]) => [k, (v as unknown[]).length]),
      ),
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
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
      `seed failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
