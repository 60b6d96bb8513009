#!/usr/bin/env node
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteOutbox } from '@fieldwise/events';
import { resolvePrincipalKey } from '@fieldwise/grpc';
import pino from 'pino';
import { openGrpcRunnerFactory } from '../adapters/runner/grpc-runner-factory.js';
import { createJudgeFromConfig } from '../adapters/judge/judge-from-config.js';
import { ScriptedAgentRunner } from '../adapters/runner/scripted-runner.js';
import { openEvalStore } from '../adapters/store/index.js';
import { loadJudgeConfig } from '../config.js';
import { EVAL_OUTBOX_FILE } from '../server.js';
import { runEvalCli, type RunnerFactory } from './run-eval-cli.js';

// The CLI's own wiring: paths relative to the package, store chosen like the service's.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const logger = pino(
  { level: process.env['LOG_LEVEL'] ?? 'warn' },
  pino.destination(2),
);
// The data dir the services share: the principal key and the eval outbox live there.
const dataDir =
  process.env['FIELDWISE_DATA_DIR'] ?? join(packageRoot, '..', '..', '.data');
const runnerFactories = new Map<string, RunnerFactory>([
  ['scripted', (file) => ScriptedAgentRunner.fromFile(file)],
  [
    'grpc',
    async (address) =>
      openGrpcRunnerFactory({
        agentAddress: address,
        crmAddress: process.env['CRM_SERVICE_ADDR'],
        retrievalAddress: process.env['RETRIEVAL_SERVICE_ADDR'],
        key: await resolvePrincipalKey({
          FIELDWISE_DATA_DIR: dataDir,
          FIELDWISE_PRINCIPAL_KEY: process.env['FIELDWISE_PRINCIPAL_KEY'],
        }),
        // Impersonation is audited in the same outbox the service uses.
        outbox: SqliteOutbox.open({
          dataDir,
          fileName: EVAL_OUTBOX_FILE,
          logger,
        }),
        logger,
      }).runnerFor(process.env['EVAL_AGENT_MODEL'] ?? ''),
  ],
]);

process.exitCode = await runEvalCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  logger,
  runnerFactories,
  judge: () => createJudgeFromConfig(loadJudgeConfig(process.env), logger),
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
