import { describeServiceRuntime } from '@fieldwise/testing';
import { loadEvalConfig } from '../src/config.js';
import { evalServiceOptions } from '../src/server.js';

// The service with its own handlers, store and outbox, as main.ts wires it.
describeServiceRuntime(
  'eval',
  (env) => loadEvalConfig(env),
  (config) => evalServiceOptions(config),
);
