import { runGrpcService } from '@fieldwise/grpc';
import { loadAgentConfig } from './config.js';

// Wiring only: configuration, then the shared service runtime.
const config = loadAgentConfig();
await runGrpcService({ name: 'agent', config });
