import { copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import {
  createAuthorizer,
  createRedisPolicyWatcher,
  DEFAULT_POLICY_PATH,
  type Authorizer,
  type RedisPolicyWatcher,
} from '@fieldwise/authz';
import {
  KafkaEventPublisher,
  OutboxRelay,
  SqliteOutbox,
} from '@fieldwise/events';
import {
  createGuardrailPipeline,
  type GuardrailPipeline,
} from '@fieldwise/guardrails';
import {
  createApiKeyVerifier,
  type ApiKeyIdentity,
} from './api-keys/api-keys.js';
import { openApiKeyStore } from './api-keys/index.js';
import type { ApiKeyStore } from './api-keys/port.js';
import { OutboxAuditSink, type AuditSink } from './audit/audit-sink.js';
import {
  createPayloadRedactor,
  type PayloadRedactor,
} from './audit/payload-digest.js';
import type { GatewayConfig } from './config.js';
import {
  DEFAULT_GUARDRAILS_PATH,
  loadGuardrailConfigFile,
} from './guardrails/guardrail-config-file.js';
import {
  createPolicyEditor,
  type PolicyEditor,
} from './policy/policy-editor.js';
import { createRateLimitRedis } from './rate-limit/redis-client.js';
import { TokenBudget } from './rate-limit/token-budget.js';
import type { ModelsInfo } from './routes/v1/models/index.js';

/** Everything the gateway's policies need: authorization, limits, guardrails, audit. */
export interface GatewayGovernance {
  readonly authorizer: Authorizer;
  readonly policyEditor: PolicyEditor;
  readonly rateLimits: {
    readonly windowMs: number;
    readonly principalMax: number;
    readonly routeMax: number;
    readonly redis?: Redis;
    readonly redisFailure: 'open' | 'closed';
    readonly keyPrefix: string;
  };
  readonly tokenBudget: TokenBudget;
  readonly guardrails: {
    readonly pipeline: GuardrailPipeline;
    readonly canary?: string;
  };
  readonly redactor: PayloadRedactor;
  readonly audit: {
    readonly sink: AuditSink;
    readonly outboxPath: string;
    readonly payloadSamplePercent: number;
    readonly payloadMaxBytes: number;
  };
  readonly models: ModelsInfo;
  /** Service-account API keys: the store (CLI, tests) and the request-path verifier. */
  readonly apiKeys: {
    readonly store: ApiKeyStore;
    readonly verify: (key: string) => Promise<ApiKeyIdentity>;
  };
}

/** Governance with the resources it holds open. */
export interface RunningGovernance {
  readonly governance: GatewayGovernance;
  /** Which adapter was chosen per concern, for the start-up log line. */
  readonly adapters: Readonly<Record<string, string>>;
  /**
   * Stops watchers and the relay (flushing pending audit events to Kafka
   * within `flushTimeoutMs`), then closes Redis and the outbox.
   */
  close(flushTimeoutMs?: number): Promise<void>;
}

/** Options of {@link createGovernance} besides the configuration. */
export interface GovernanceOptions {
  readonly logger: Logger;
  /** Prefix of Redis keys; tests give each run its own. */
  readonly redisKeyPrefix?: string;
  /** What `/v1/models` reports for tracing. */
  readonly tracing?: string;
}

/**
 * Builds the gateway's governance from its configuration: the Casbin
 * authorizer on a policy file (watched; Redis notifications across
 * replicas when `REDIS_URL` is set), rate-limit counters (Redis or in
 * process), the guardrail pipeline from its JSON file, and the audit outbox
 * (relayed to Kafka when `KAFKA_BROKERS` is set). Throws `CONFIG_INVALID`
 * for a bad policy or guardrail file.
 */
export async function createGovernance(
  config: GatewayConfig,
  options: GovernanceOptions,
): Promise<RunningGovernance> {
  const logger = options.logger;
  const gatewayDir = join(config.FIELDWISE_DATA_DIR, 'gateway');
  await mkdir(gatewayDir, { recursive: true });

  const policyPath = config.AUTHZ_POLICY_PATH ?? join(gatewayDir, 'policy.csv');
  if (!config.AUTHZ_POLICY_PATH && !existsSync(policyPath)) {
    // The shipped policy is the starting point; edits go to the copy.
    await copyFile(DEFAULT_POLICY_PATH, policyPath);
  }
  const authorizer = await createAuthorizer({
    policySource: { kind: 'file', path: policyPath },
    logger,
  });
  const fileWatch = authorizer.watch();

  const redis = config.REDIS_URL
    ? createRateLimitRedis(config.REDIS_URL, logger)
    : undefined;
  let policyWatcher: RedisPolicyWatcher | undefined;
  if (config.REDIS_URL) {
    try {
      policyWatcher = await createRedisPolicyWatcher({
        authorizer,
        url: config.REDIS_URL,
        channel: config.AUTHZ_POLICY_CHANNEL,
        logger,
      });
    } catch (error) {
      // Replicas still converge through their file watch on a shared volume.
      logger.warn(
        { err: { message: (error as Error).message } },
        'redis policy watcher unavailable; policy changes reach other replicas through the file only',
      );
    }
  }
  const policyEditor = createPolicyEditor({
    path: policyPath,
    authorizer,
    ...(policyWatcher ? { notify: () => policyWatcher.notify() } : {}),
    logger,
  });

  const guardrailsPath =
    config.GUARDRAILS_CONFIG_PATH ?? DEFAULT_GUARDRAILS_PATH;
  const guardrailConfig = loadGuardrailConfigFile(guardrailsPath);
  const pipeline = createGuardrailPipeline(guardrailConfig, { logger });
  const redactor = createPayloadRedactor(guardrailConfig);

  const outbox = SqliteOutbox.open({
    dataDir: gatewayDir,
    fileName: 'audit-outbox.sqlite',
    synchronous: config.AUDIT_OUTBOX_SYNC,
    logger,
  });
  const sink = new OutboxAuditSink({
    outbox,
    logger,
    flushIntervalMs: config.AUDIT_FLUSH_INTERVAL,
  });
  const publisher =
    config.KAFKA_BROKERS.length > 0
      ? new KafkaEventPublisher({
          brokers: config.KAFKA_BROKERS,
          logger,
          clientId: 'fieldwise-gateway',
        })
      : undefined;
  const relay = publisher
    ? new OutboxRelay({ outbox, publisher, logger })
    : undefined;
  relay?.start();

  const apiKeys = await openApiKeyStore({
    dataDir: config.FIELDWISE_DATA_DIR,
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
  });
  const verifyApiKey = createApiKeyVerifier(apiKeys.store, {
    cacheMs: config.API_KEY_CACHE_TTL,
  });

  const keyPrefix = options.redisKeyPrefix ?? 'fieldwise:gateway:';
  const tokenBudget = new TokenBudget({
    max: config.CHAT_TOKEN_BUDGET_PER_MINUTE,
    windowMs: 60_000,
    ...(redis ? { redis } : {}),
    redisFailure: config.RATE_LIMIT_REDIS_FAILURE,
    keyPrefix,
    logger,
  });

  const adapters = {
    policy: `file:${policyPath}${policyWatcher ? '+redis-notify' : ''}`,
    rateLimits: redis ? 'redis' : 'memory',
    events: relay ? 'outbox+kafka' : 'outbox',
    guardrails: guardrailsPath,
    apiKeys: apiKeys.adapter,
  } as const;
  const governance: GatewayGovernance = {
    authorizer,
    policyEditor,
    rateLimits: {
      windowMs: config.RATE_LIMIT_WINDOW,
      principalMax: config.RATE_LIMIT_PRINCIPAL_MAX,
      routeMax: config.RATE_LIMIT_ROUTE_MAX,
      ...(redis ? { redis } : {}),
      redisFailure: config.RATE_LIMIT_REDIS_FAILURE,
      keyPrefix,
    },
    tokenBudget,
    guardrails: {
      pipeline,
      ...(config.GUARDRAILS_CANARY ? { canary: config.GUARDRAILS_CANARY } : {}),
    },
    redactor,
    audit: {
      sink,
      outboxPath: outbox.path,
      payloadSamplePercent: config.AUDIT_PAYLOAD_SAMPLE_RATE,
      payloadMaxBytes: config.AUDIT_PAYLOAD_MAX_BYTES,
    },
    models: {
      reportedBy: 'gateway-config',
      model: null,
      agent: { address: config.AGENT_SERVICE_ADDR },
      adapters: {
        rateLimits: redis ? 'redis' : 'memory',
        rateLimitRedisFailure: config.RATE_LIMIT_REDIS_FAILURE,
        events: relay ? 'outbox+kafka' : 'outbox',
        policy: 'file',
        guardrails: basename(guardrailsPath),
        tracing: options.tracing ?? 'off',
      },
    },
    apiKeys: { store: apiKeys.store, verify: verifyApiKey },
  };

  return {
    governance,
    adapters,
    close: async (flushTimeoutMs = 5_000) => {
      fileWatch.close();
      authorizer.close();
      await policyWatcher?.close();
      sink.flush();
      if (relay) {
        const result = await relay.stop({ flushTimeoutMs });
        if (!result.flushed) {
          logger.warn(
            { pending: result.pending },
            'audit events still pending in the outbox; the next start relays them',
          );
        }
      }
      await publisher?.close();
      outbox.close();
      await apiKeys.store.close();
      if (redis) redis.disconnect();
    },
  };
}
