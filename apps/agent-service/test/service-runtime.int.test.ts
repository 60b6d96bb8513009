import { describeServiceRuntime } from '@fieldwise/testing';
import { loadAgentConfig } from '../src/config.js';

describeServiceRuntime('agent', (env) => loadAgentConfig(env));
