import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const execFileAsync = promisify(execFile);

/** The broker script, found from this file in both `src/` and `dist/`. */
const KAFKA_SCRIPT = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../deploy/kafka/kafka.sh',
);

/** Options for {@link startKafkaBroker}. */
export interface KafkaBrokerOptions {
  /** Client port on 127.0.0.1; a free one is picked when omitted. */
  readonly port?: number;
  /** Where config, logs and partitions live; a fresh temp dir when omitted. */
  readonly dataDir?: string;
}

/** A single-node Kafka broker owned by the caller (typically one test file). */
export interface KafkaBroker {
  /** Bootstrap addresses for kafkajs, e.g. `['127.0.0.1:40123']`. */
  readonly brokers: string[];
  readonly port: number;
  readonly controllerPort: number;
  readonly dataDir: string;
  /** Milliseconds the first start took until the broker served metadata. */
  readonly startupMs: number;
  /** Stops the broker (SIGTERM, then SIGKILL after a bound); data is kept. */
  stop(): Promise<void>;
  /** Starts it again after {@link KafkaBroker.stop}, same ports and data. */
  start(): Promise<void>;
  /** Stops the broker and deletes its data dir if this helper created it. */
  dispose(): Promise<void>;
}

/**
 * Starts a real Apache Kafka broker (KRaft, single node) through
 * `deploy/kafka/kafka.sh`, on free loopback ports unless told otherwise, and
 * resolves once it answers metadata requests. Needs Java 17+ (see
 * `kafkaAvailability`) and, on the first run, Maven to fill the jar cache.
 * Rejects with the script's output when the broker cannot start.
 */
export async function startKafkaBroker(
  options: KafkaBrokerOptions = {},
): Promise<KafkaBroker> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir =
    options.dataDir ?? (await mkdtemp(join(tmpdir(), 'fieldwise-kafka-')));
  // A port picked here can be taken before Kafka binds it: retry with new ports.
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const port = options.port ?? (await freePort());
    const controllerPort = await freePort();
    const env = {
      ...process.env,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      KAFKA_DATA_DIR: dataDir,
    };
    const started = performance.now();
    try {
      await runScript('start', env);
    } catch (error) {
      lastError = error;
      await runScript('stop', env).catch(() => undefined);
      continue;
    }
    const startupMs = performance.now() - started;
    let disposed = false;
    const broker: KafkaBroker = {
      brokers: [`127.0.0.1:${port}`],
      port,
      controllerPort,
      dataDir,
      startupMs,
      stop: () => runScript('stop', env),
      start: () => runScript('start', env),
      dispose: async () => {
        if (disposed) return;
        disposed = true;
        await runScript('stop', env);
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      },
    };
    return broker;
  }
  if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
  throw lastError instanceof Error
    ? lastError
    : new Error('the Kafka broker did not start');
}

async function runScript(
  command: 'start' | 'stop',
  env: NodeJS.ProcessEnv,
): Promise<void> {
  try {
    await execFileAsync('bash', [KAFKA_SCRIPT, command], {
      env,
      maxBuffer: 4 * 1024 * 1024,
    });
  } catch (error) {
    const output =
      error !== null && typeof error === 'object' && 'stderr' in error
        ? String(error.stderr)
        : '';
    throw new Error(
      `kafka.sh ${command} failed${output ? `:\n${output.trim()}` : ''}`,
      { cause: error },
    );
  }
}
