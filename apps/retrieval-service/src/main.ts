import { runGrpcService } from '@fieldwise/grpc';
import { loadRetrievalConfig } from './config.js';

// Wiring only: configuration, then the shared service runtime.
const config = loadRetrievalConfig();
await runGrpcService({ name: 'retrieval', config });
