import { describeServiceRuntime } from '@fieldwise/testing';
import { loadRetrievalConfig } from '../src/config.js';

describeServiceRuntime('retrieval', (env) => loadRetrievalConfig(env));
