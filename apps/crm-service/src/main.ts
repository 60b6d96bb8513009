import { runGrpcService } from '@fieldwise/grpc';
import { loadCrmConfig } from './config.js';

// Wiring only: configuration, then the shared service runtime.
const config = loadCrmConfig();
await runGrpcService({ name: 'crm', config });
