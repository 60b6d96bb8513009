import { describeServiceRuntime } from '@fieldwise/testing';
import { loadEvalConfig } from '../src/config.js';

describeServiceRuntime('eval', (env) => loadEvalConfig(env));
