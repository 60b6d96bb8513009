import { runGrpcService } from '@fieldwise/grpc';
import { loadEvalConfig } from './config.js';

// Wiring only: configuration, then the shared service runtime.
const config = loadEvalConfig();
await runGrpcService({ name: 'eval', config });
