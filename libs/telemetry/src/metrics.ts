import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';

/** Options of {@link createServiceMetrics}. */
export interface ServiceMetricsOptions {
  /** Value of the `service` label on every series (`gateway`, `agent`, ...). */
  readonly service: string;
  /**
   * Also export the Node.js process series (CPU, memory, event-loop lag, GC).
   * Default true; tests that build several registries in one process turn it off.
   */
  readonly processMetrics?: boolean;
}

/** One answered HTTP request, as the gateway saw it. */
export interface HttpRequestObservation {
  readonly method: string;
  /** The route pattern (`/v1/accounts/:id`), never the raw URL: bounded label values. */
  readonly route: string;
  readonly status: number;
  readonly durationSeconds: number;
}

/** One finished gRPC call, as a server saw it. */
export interface RpcObservation {
  /** Full method path, `/package.Service/Method`. */
  readonly method: string;
  /** gRPC status name (`OK`, `UNAVAILABLE`, ...). */
  readonly code: string;
  readonly durationSeconds: number;
}

/** One model call at the ChatModel boundary. */
export interface ModelCallObservation {
  /** `openai`, `azure-openai`, `openai-compatible`, `offline`, ... */
  readonly provider: string;
  readonly model: string;
  /** `ok`, or the error code the call failed with. */
  readonly outcome: string;
  readonly durationSeconds: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** One guardrail hit (a rule that blocked, redacted or flagged a text). */
export interface GuardrailHitObservation {
  readonly rule: string;
  /** `input`, `output`, `toolOutput`, `ingestion`. */
  readonly stage: string;
  /** `blocked`, `redacted`, `flagged`. */
  readonly outcome: string;
}

/** What an outbox reports at scrape time (see `Outbox.depth`, `Outbox.oldestPendingAt`). */
export interface OutboxGauges {
  /** Events appended and not yet acknowledged by Kafka. */
  readonly depth: number;
  /** Age of the oldest unsent event in seconds; 0 when nothing waits. */
  readonly lagSeconds: number;
}

/** Lag of one partition of a consumer group: the log-end offset minus the committed offset. */
export interface ConsumerLag {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/** The metric names, for dashboards and the tests that assert them. */
export const METRIC_NAMES = {
  httpRequests: 'fieldwise_http_requests_total',
  httpErrors: 'fieldwise_http_request_errors_total',
  httpDuration: 'fieldwise_http_request_duration_seconds',
  rpcHandled: 'fieldwise_grpc_server_handled_total',
  rpcErrors: 'fieldwise_grpc_server_errors_total',
  rpcDuration: 'fieldwise_grpc_server_handling_seconds',
  modelTokens: 'fieldwise_model_tokens_total',
  modelDuration: 'fieldwise_model_request_duration_seconds',
  toolCalls: 'fieldwise_tool_calls_total',
  guardrailHits: 'fieldwise_guardrail_hits_total',
  rateLimitRejections: 'fieldwise_rate_limit_rejections_total',
  outboxDepth: 'fieldwise_outbox_depth',
  outboxLag: 'fieldwise_outbox_relay_lag_seconds',
  consumerLag: 'fieldwise_kafka_consumer_lag',
} as const;

/** Request and call latencies: 5 ms to 60 s (chat streams last long). */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/**
 * The Prometheus series of one Fieldwise process, in its own registry (so
 * several services in one test process never mix their series). Every
 * series carries a `service` label. Recording methods never throw.
 */
export interface ServiceMetrics {
  /** The underlying registry (for extra, service-specific series). */
  readonly registry: Registry;
  /** `Content-Type` of {@link render}. */
  readonly contentType: string;
  /** The exposition in Prometheus text format; runs the scrape-time sources first. */
  render(): Promise<string>;
  observeHttpRequest(observation: HttpRequestObservation): void;
  observeRpc(observation: RpcObservation): void;
  observeModelCall(observation: ModelCallObservation): void;
  /** A tool call by tool name and outcome (`executed`, `pending_confirmation`, `denied`, `failed`). */
  countToolCall(tool: string, outcome: string): void;
  countGuardrailHit(hit: GuardrailHitObservation): void;
  /** A request refused by a rate limit, by the limit that applied. */
  countRateLimitRejection(limit: string, route: string): void;
  /** Reads an outbox's depth and relay lag at every scrape (see {@link outboxGauges}). */
  addOutbox(name: string, outbox: OutboxReadings): void;
  /** Reads consumer-group lag at every scrape (a failing read keeps the last values). */
  addConsumerLag(read: () => Promise<readonly ConsumerLag[]>): void;
}

/** Builds the metrics of one service process; see {@link ServiceMetrics}. */
export function createServiceMetrics(
  options: ServiceMetricsOptions,
): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: 'fieldwise_' });
  }
  const registers = [registry];

  const httpRequests = new Counter({
    name: METRIC_NAMES.httpRequests,
    help: 'HTTP requests answered, by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpErrors = new Counter({
    name: METRIC_NAMES.httpErrors,
    help: 'HTTP requests answered with a 4xx or 5xx status, by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: METRIC_NAMES.httpDuration,
    help: 'Time to answer an HTTP request (to the end of the stream for SSE), by route.',
    labelNames: ['method', 'route'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const rpcHandled = new Counter({
    name: METRIC_NAMES.rpcHandled,
    help: 'gRPC calls finished, by method and status code.',
    labelNames: ['method', 'code'] as const,
    registers,
  });
  const rpcErrors = new Counter({
    name: METRIC_NAMES.rpcErrors,
    help: 'gRPC calls finished with a status other than OK, by method and status code.',
    labelNames: ['method', 'code'] as const,
    registers,
  });
  const rpcDuration = new Histogram({
    name: METRIC_NAMES.rpcDuration,
    help: 'Time from a gRPC call starting to its status, by method.',
    labelNames: ['method'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const modelTokens = new Counter({
    name: METRIC_NAMES.modelTokens,
    help: 'Model tokens used, by provider, model and kind (input or output).',
    labelNames: ['provider', 'model', 'kind'] as const,
    registers,
  });
  const modelDuration = new Histogram({
    name: METRIC_NAMES.modelDuration,
    help: 'Duration of model calls, by provider, model and outcome.',
    labelNames: ['provider', 'model', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const toolCalls = new Counter({
    name: METRIC_NAMES.toolCalls,
    help: 'Agent tool calls, by tool and outcome.',
    labelNames: ['tool', 'outcome'] as const,
    registers,
  });
  const guardrailHits = new Counter({
    name: METRIC_NAMES.guardrailHits,
    help: 'Guardrail rule hits, by rule, stage and outcome (blocked, redacted, flagged).',
    labelNames: ['rule', 'stage', 'outcome'] as const,
    registers,
  });
  const rateLimitRejections = new Counter({
    name: METRIC_NAMES.rateLimitRejections,
    help: 'Requests refused with 429, by the limit reached first and the route.',
    labelNames: ['limit', 'route'] as const,
    registers,
  });

  const outboxes = new Map<string, OutboxReadings>();
  const readOutboxes = (): Map<string, OutboxGauges> => {
    const values = new Map<string, OutboxGauges>();
    for (const [name, outbox] of outboxes) {
      try {
        values.set(name, outboxGauges(outbox));
      } catch {
        // A closed outbox (during shutdown) has no value; the series is skipped.
      }
    }
    return values;
  };
  new Gauge({
    name: METRIC_NAMES.outboxDepth,
    help: 'Events in the outbox not yet acknowledged by Kafka.',
    labelNames: ['outbox'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, value] of readOutboxes())
        this.set({ outbox: name }, value.depth);
    },
  });
  new Gauge({
    name: METRIC_NAMES.outboxLag,
    help: 'Age of the oldest event waiting in the outbox (0 when it is empty).',
    labelNames: ['outbox'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, value] of readOutboxes())
        this.set({ outbox: name }, value.lagSeconds);
    },
  });

  const lagSources: (() => Promise<readonly ConsumerLag[]>)[] = [];
  let lastLag: readonly ConsumerLag[] = [];
  new Gauge({
    name: METRIC_NAMES.consumerLag,
    help: 'Kafka consumer-group lag in messages, by group, topic and partition.',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers,
    async collect() {
      if (lagSources.length === 0) return;
      try {
        const all = await Promise.all(lagSources.map((read) => read()));
        lastLag = all.flat();
      } catch {
        // The broker may be away: report the last known lag instead of none.
      }
      this.reset();
      for (const entry of lastLag) {
        this.set(
          {
            group: entry.group,
            topic: entry.topic,
            partition: String(entry.partition),
          },
          entry.lag,
        );
      }
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeHttpRequest(o) {
      const status = String(o.status);
      httpRequests.inc({ method: o.method, route: o.route, status });
      if (o.status >= 400)
        httpErrors.inc({ method: o.method, route: o.route, status });
      httpDuration.observe(
        { method: o.method, route: o.route },
        o.durationSeconds,
      );
    },
    observeRpc(o) {
      rpcHandled.inc({ method: o.method, code: o.code });
      if (o.code !== 'OK') rpcErrors.inc({ method: o.method, code: o.code });
      rpcDuration.observe({ method: o.method }, o.durationSeconds);
    },
    observeModelCall(o) {
      const labels = { provider: o.provider, model: o.model };
      modelDuration.observe(
        { ...labels, outcome: o.outcome },
        o.durationSeconds,
      );
      if (o.inputTokens > 0)
        modelTokens.inc({ ...labels, kind: 'input' }, o.inputTokens);
      if (o.outputTokens > 0)
        modelTokens.inc({ ...labels, kind: 'output' }, o.outputTokens);
    },
    countToolCall(tool, outcome) {
      toolCalls.inc({ tool, outcome });
    },
    countGuardrailHit(hit) {
      guardrailHits.inc({
        rule: hit.rule,
        stage: hit.stage,
        outcome: hit.outcome,
      });
    },
    countRateLimitRejection(limit, route) {
      rateLimitRejections.inc({ limit, route });
    },
    addOutbox(name, outbox) {
      outboxes.set(name, outbox);
    },
    addConsumerLag(read) {
      lagSources.push(read);
    },
  };
}

/** The part of an outbox that {@link outboxGauges} reads (structural, so telemetry needs no events dependency). */
export interface OutboxReadings {
  depth(): number;
  /** `createdAt` (epoch ms) of the oldest unsent row, or null. */
  oldestPendingAt(): number | null;
}

/** Depth and relay lag of an outbox, for {@link ServiceMetrics.addOutbox}. */
export function outboxGauges(
  outbox: OutboxReadings,
  now: number = Date.now(),
): OutboxGauges {
  const oldest = outbox.oldestPendingAt();
  return {
    depth: outbox.depth(),
    lagSeconds: oldest === null ? 0 : Math.max(0, now - oldest) / 1000,
  };
}
