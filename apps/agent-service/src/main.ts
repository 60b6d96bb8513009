import { runGrpcService } from '@fieldwise/grpc';
import { createAgentApp, type AgentApp } from './app.js';
import { loadAgentConfig } from './config.js';

// Wiring only: configuration, adapters and handlers, the shared service runtime.
const config = loadAgentConfig();
let app: AgentApp | undefined;

await runGrpcService({
  name: 'agent',
  config,
  services: async (runtime) => {
    app = await createAgentApp(config, runtime);
    return app.services;
  },
  onShutdown: async () => {
    await app?.close();
  },
});
