import { describeServiceRuntime } from '@fieldwise/testing';
import { loadRetrievalConfig } from '../src/config.js';
import { retrievalServiceOptions } from '../src/server.js';

// The service with its own handlers, as main.ts wires it; the corpus is not
// ingested here (handler tests do that) to keep the runtime check fast.
describeServiceRuntime(
  'retrieval',
  (env) => loadRetrievalConfig({ ...env, RETRIEVAL_INGEST_ON_START: 'false' }),
  (config) => retrievalServiceOptions(config),
);
