#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createEmbedder } from '../adapters/embeddings/index.js';
import { readSources } from '../adapters/files/collateral-directory.js';
import { openDocumentStore } from '../adapters/store/index.js';
import { createVectorIndex } from '../adapters/vector-index/index.js';
import { ingestDocuments } from '../domain/ingest.js';
import { loadGuardrailsScanner } from './guardrails-scanner.js';

const usage = `Usage: npm run ingest -w @fieldwise/retrieval-service -- <file-or-dir> [options]
  --tenant ID        tenant that owns the documents (default lumen)
  --data-dir DIR     data dir for the store, index and vector cache (default apps/retrieval-service/.data)
  --qdrant-url URL   index into Qdrant instead of the embedded index`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      'data-dir': { type: 'string' },
      'qdrant-url': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const [path] = positionals;
  if (values.help || !path) {
    process.stdout.write(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  const logger = pino({ level: 'info' }, pino.destination(2));
  const dataDir = resolve(
    values['data-dir'] ?? resolve(import.meta.dirname, '../../.data'),
  );
  const tenant = values.tenant ?? 'lumen';
  const embedder = createEmbedder(
    { cacheDir: resolve(dataDir, 'cache') },
    logger,
  );
  const index = createVectorIndex(
    {
      dimensions: embedder.dimensions,
      dir: resolve(dataDir, 'vectors', embedder.model),
      ...(values['qdrant-url'] ? { qdrantUrl: values['qdrant-url'] } : {}),
    },
    logger,
  );
  const store = openDocumentStore({ dataDir }, logger);
  try {
    const scanner = await loadGuardrailsScanner();
    const { documents, sidecarProblems } = readSources(
      resolve(process.env.INIT_CWD ?? process.cwd(), path),
    );
    for (const problem of sidecarProblems)
      logger.warn(problem, 'sidecar ignored');
    const started = performance.now();
    const report = await ingestDocuments(
      { store, index, embedder, scanner, logger },
      { tenant, documents },
    );
    const seconds = (performance.now() - started) / 1000;
    const count = (status: string): number =>
      report.documents.filter((d) => d.status === status).length;
    process.stdout.write(
      `${report.documents.length} documents accepted (${count('created')} created, ${count('updated')} updated, ` +
        `${count('unchanged')} unchanged), ${report.rejected.length} rejected; ` +
        `${report.chunksWritten} chunks written, ${report.chunksRemoved} removed in ${seconds.toFixed(1)} s\n`,
    );
    for (const doc of report.documents.filter((d) => d.flaggedChunks > 0)) {
      process.stdout.write(
        `  flagged: ${doc.documentId} (${doc.flaggedChunks} chunk(s) with prompt-injection signals)\n`,
      );
    }
    for (const rejected of report.rejected) {
      process.stdout.write(
        `  rejected: ${rejected.source}: ${rejected.reasons.join('; ')}\n`,
      );
    }
    return report.rejected.length > 0 ? 1 : 0;
  } finally {
    await index.close();
    store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `ingest failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
