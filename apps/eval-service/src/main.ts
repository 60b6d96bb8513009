import { runGrpcService } from '@fieldwise/grpc';
import { loadEvalConfig } from './config.js';
import { evalServiceOptions } from './server.js';

// Wiring only: configuration, then the shared service runtime with the eval handlers.
const config = loadEvalConfig();
await runGrpcService({ name: 'eval', config, ...evalServiceOptions(config) });
