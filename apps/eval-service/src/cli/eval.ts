#!/usr/bin/env node
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { ScriptedAgentRunner } from '../adapters/runner/scripted-runner.js';
import { openEvalStore } from '../adapters/store/index.js';
import { runEvalCli, type RunnerFactory } from './run-eval-cli.js';

// The CLI's own wiring: paths relative to the package, store chosen like the service's.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const logger = pino(
  { level: process.env['LOG_LEVEL'] ?? 'warn' },
  pino.destination(2),
);
const runnerFactories = new Map<string, RunnerFactory>([
  ['scripted', (file) => ScriptedAgentRunner.fromFile(file)],
]);

process.exitCode = await runEvalCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  logger,
  runnerFactories,
  openStore: () =>
    openEvalStore(
      {
        databaseUrl: process.env['DATABASE_URL'],
        dataDir: process.env['EVAL_DATA_DIR'] ?? join(packageRoot, '.data'),
      },
      logger,
    ),
  datasetDir:
    process.env['EVAL_DATASET_DIR'] ??
    join(packageRoot, '..', '..', 'data', 'eval'),
});
