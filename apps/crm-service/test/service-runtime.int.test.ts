import { describeServiceRuntime } from '@fieldwise/testing';
import { loadCrmConfig } from '../src/config.js';

describeServiceRuntime('crm', (env) => loadCrmConfig(env));
