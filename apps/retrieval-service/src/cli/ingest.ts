#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { readSources } from '../adapters/files/collateral-directory.js';
import { loadRetrievalConfig } from '../config.js';
import { ingestDocuments } from '../domain/ingest.js';
import { openRetrievalAdapters } from '../server.js';

const usage = `Usage: npm run ingest -w @fieldwise/retrieval-service -- <file-or-dir> [options]
  --tenant ID        tenant that owns the documents (default lumen)
  --data-dir DIR     data dir shared with the service (default FIELDWISE_DATA_DIR, else <repo>/.data as npm start uses)
  --qdrant-url URL   index into Qdrant instead of the embedded index (default QDRANT_URL)
Adapters (embedder, Qdrant, limits) follow the service's environment variables.`;

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
  // The same data dir as `npm start` unless FIELDWISE_DATA_DIR or a flag says otherwise.
  const config = loadRetrievalConfig({
    FIELDWISE_DATA_DIR: resolve(import.meta.dirname, '../../../../.data'),
    ...process.env,
    ...(values['data-dir']
      ? {
          FIELDWISE_DATA_DIR: resolve(
            process.env.INIT_CWD ?? process.cwd(),
            values['data-dir'],
          ),
        }
      : {}),
    ...(values['qdrant-url'] ? { QDRANT_URL: values['qdrant-url'] } : {}),
  });
  const dataDir = config.FIELDWISE_DATA_DIR;
  const tenant = values.tenant ?? 'lumen';
  const adapters = openRetrievalAdapters(config, dataDir, logger);
  const { store, index, embedder, scanner } = adapters;
  try {
    const { documents, sidecarProblems } = readSources(
      resolve(process.env.INIT_CWD ?? process.cwd(), path),
    );
    for (const problem of sidecarProblems)
      logger.warn(problem, 'sidecar ignored');
    const started = performance.now();
    const report = await ingestDocuments(
      {
        store,
        index,
        embedder,
        scanner,
        logger,
        maxDocumentBytes: config.RETRIEVAL_MAX_DOCUMENT_BYTES,
      },
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
    await adapters.close();
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
