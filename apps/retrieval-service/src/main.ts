import { runGrpcService } from '@fieldwise/grpc';
import { loadRetrievalConfig } from './config.js';
import { retrievalServiceOptions } from './server.js';

// Wiring only: configuration, then the shared service runtime with the retrieval handlers.
const config = loadRetrievalConfig();
await runGrpcService({
  name: 'retrieval',
  config,
  ...retrievalServiceOptions(config),
});
