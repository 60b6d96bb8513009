import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import {
  createAuthorizer,
  DEFAULT_POLICY_PATH,
  type Authorizer,
} from '@fieldwise/authz';
import {
  CrmServiceService,
  RetrievalServiceService,
  type ModelInfo,
} from '@fieldwise/contracts';
import { FieldwiseError } from '@fieldwise/errors';
import {
  KafkaEventPublisher,
  OutboxRelay,
  SqliteOutbox,
} from '@fieldwise/events';
import {
  createGrpcClient,
  resolvePrincipalKey,
  type ServiceRegistration,
  type ServiceRuntime,
} from '@fieldwise/grpc';
import {
  createChatModelFromConfig,
  withModelMetrics,
  type ChatModel,
} from '@fieldwise/llm';
import { createPrincipalSigner } from '@fieldwise/principal';
import type { Logger } from 'pino';
import { createToolAuditRecorder } from './adapters/audit/tool-audit-recorder.js';
import {
  countGuardrailHits,
  countToolCalls,
} from './adapters/metrics/agent-metrics.js';
import { openConversationStore } from './adapters/conversation-store/index.js';
import { createDownstreamSigner } from './adapters/crm-tools/downstream-signer.js';
import { GrpcCrmTools } from './adapters/crm-tools/grpc-crm-tools.js';
import {
  createAgentGuardrails,
  createTextRedactor,
} from './adapters/redaction/text-redactor.js';
import { GrpcRetrievalTools } from './adapters/retrieval-tools/grpc-retrieval-tools.js';
import type { AgentConfig } from './config.js';
import type { TurnDeps } from './domain/loop/run-turn.js';
import {
  createCrmEntityResolver,
  createOfflinePlanner,
} from './domain/planner/index.js';
import type { DownstreamCall } from './domain/tools/ports.js';
import { cacheToolDecisions } from './domain/tools/permission-cache.js';
import { AGENT_TOOLS, createToolRegistry } from './domain/tools/registry.js';
import { buildAgentServices } from './server.js';

/** What tests may replace in {@link createAgentApp}. */
export interface AgentAppOverrides {
  /** A model to use instead of the configured one (scripted models in tests). */
  readonly model?: ChatModel;
  readonly clock?: () => Date;
}

/** The agent's wired services and how to release what they hold. */
export interface AgentApp {
  readonly services: readonly ServiceRegistration[];
  readonly model: ChatModel;
  /** Drains the outbox relay, closes clients, stores and policy watches. */
  close(): Promise<void>;
}

function describeModel(model: ChatModel): ModelInfo {
  return {
    ref: {
      provider: model.info.provider,
      name: model.info.name,
      offline: model.info.offline,
    },
    description: model.info.offline
      ? 'Deterministic offline planner: semantic tool routing, CRM entity resolution and templated, cited answers; no language model'
      : `${model.info.provider} model ${model.info.name} with function calling`,
    supportsFunctionCalling: !model.info.offline,
    contextWindowTokens: 0,
    available: true,
  };
}

/**
 * Builds every adapter of the agent from configuration (CRM and retrieval
 * gRPC clients as the end user, conversation store, authorizer, guardrails,
 * outbox, model or offline planner) and returns the gRPC registrations.
 * Logs which adapter it chose for each concern.
 */
export async function createAgentApp(
  config: AgentConfig,
  runtime: {
    readonly logger: Logger;
    readonly dataDir: string;
    /** Model, tool, guardrail and outbox series go here when given. */
    readonly metrics?: ServiceRuntime['metrics'];
  },
  overrides: AgentAppOverrides = {},
): Promise<AgentApp> {
  const { logger, dataDir, metrics } = runtime;
  const clock = overrides.clock ?? (() => new Date());
  const signer = createDownstreamSigner(
    createPrincipalSigner({ key: await resolvePrincipalKey(config) }),
  );
  const crmClient = createGrpcClient(
    CrmServiceService,
    config.CRM_SERVICE_ADDR,
    { logger },
  );
  const retrievalClient = createGrpcClient(
    RetrievalServiceService,
    config.RETRIEVAL_SERVICE_ADDR,
    { logger },
  );
  const crm = new GrpcCrmTools(crmClient, signer);
  const retrieval = new GrpcRetrievalTools(retrievalClient, signer);
  let authorizer: Authorizer | undefined;
  let outbox: SqliteOutbox | undefined;
  let relay: OutboxRelay | undefined;
  let publisher: KafkaEventPublisher | undefined;
  const store = await openConversationStore({
    databaseUrl: config.DATABASE_URL,
    dataDir,
    logger,
  });
  try {
    authorizer = await createAuthorizer({
      policySource: { kind: 'file', path: DEFAULT_POLICY_PATH },
      logger,
    });
    authorizer.watch();
    outbox = SqliteOutbox.open({
      dataDir,
      fileName: 'agent-outbox.sqlite',
      synchronous: config.AUDIT_OUTBOX_SYNC,
      logger,
    });
    metrics?.addOutbox('agent', outbox);
    if (config.KAFKA_BROKERS.length > 0) {
      publisher = new KafkaEventPublisher({
        brokers: config.KAFKA_BROKERS,
        clientId: 'agent-service',
        logger,
      });
      relay = new OutboxRelay({ outbox, publisher, logger });
      relay.start();
    }
    const guardrails = createAgentGuardrails(logger);
    const redact = createTextRedactor(guardrails);
    const tools = createToolRegistry();
    const toolDeps = { crm, retrieval, clock };
    const toolAuthz = cacheToolDecisions(authorizer);

    // The planner resolves names as the user of the turn it serves.
    const turnCall = new AsyncLocalStorage<DownstreamCall>();
    const model =
      overrides.model ??
      createChatModelFromConfig(config, { logger }) ??
      createOfflinePlanner({
        resolver: createCrmEntityResolver({
          crm,
          call: () => {
            const call = turnCall.getStore();
            if (!call)
              throw new FieldwiseError(
                'INTERNAL',
                'entity lookup outside a turn',
              );
            return call;
          },
        }),
        today: clock,
        tools: AGENT_TOOLS.map((t) => ({
          name: t.name,
          description: t.description,
          examples: t.examples,
        })),
      });
    const toolAudit = createToolAuditRecorder({ outbox, redact, logger });
    const turn: TurnDeps = {
      model: metrics ? withModelMetrics(model, metrics) : model,
      tools,
      toolDeps,
      authorizer: toolAuthz,
      guardrails: metrics
        ? countGuardrailHits(guardrails, metrics)
        : guardrails,
      store,
      redact,
      clock,
      newId: randomUUID,
      logger,
      scope: (call, fn) => turnCall.run(call, fn),
      audit: metrics ? countToolCalls(metrics, toolAudit) : toolAudit,
      actions: {
        store,
        tools,
        toolDeps,
        authorizer: toolAuthz,
        clock,
        newId: randomUUID,
        actionTtlMs: config.AGENT_ACTION_TTL,
        toolTimeoutMs: config.AGENT_TOOL_TIMEOUT,
        redact,
      },
      limits: {
        maxToolCalls: config.AGENT_MAX_TOOL_CALLS,
        maxModelCalls: config.AGENT_MAX_MODEL_CALLS,
        toolTimeoutMs: config.AGENT_TOOL_TIMEOUT,
        contextBudgetTokens: config.AGENT_CONTEXT_BUDGET_TOKENS,
        keepRecentMessages: config.AGENT_KEEP_RECENT_MESSAGES,
      },
    };
    logger.info(
      {
        model: model.info,
        conversations: store.kind,
        events: relay ? 'outbox+kafka' : 'outbox',
        crm: config.CRM_SERVICE_ADDR,
        retrieval: config.RETRIEVAL_SERVICE_ADDR,
      },
      'agent adapters selected',
    );
    const services = buildAgentServices({
      turn,
      outbox,
      models: [describeModel(model)],
    });
    const held = { authorizer, outbox, relay, publisher };
    return {
      services,
      model,
      async close() {
        // Audit events queued for the next group commit, so the relay sends them.
        toolAudit.flush();
        const flushed = await held.relay?.stop({ flushTimeoutMs: 5_000 });
        if (flushed) logger.info(flushed, 'outbox relay stopped');
        await held.publisher?.close();
        held.outbox.close();
        held.authorizer.close();
        crmClient.close();
        retrievalClient.close();
        await store.close();
      },
    };
  } catch (error) {
    await relay?.stop({ flushTimeoutMs: 0 }).catch(() => undefined);
    outbox?.close();
    authorizer?.close();
    crmClient.close();
    retrievalClient.close();
    await store.close();
    throw error;
  }
}
