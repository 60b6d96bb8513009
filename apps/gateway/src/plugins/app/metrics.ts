import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { ServiceMetrics } from '@fieldwise/telemetry';
import './guardrails.js';
import './rate-limit.js';

/** Options of {@link metricsPlugin}. */
export interface MetricsPluginOptions {
  readonly metrics: ServiceMetrics;
}

/** Label for requests that matched no route: raw URLs would be unbounded. */
const UNMATCHED_ROUTE = 'unmatched';

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}

/**
 * Prometheus series of the gateway and `GET /metrics` to scrape them. Once
 * each request is answered (for SSE, once the stream ended) it records the
 * request count, error count and duration per route pattern, every
 * guardrail hit of the request by rule, and a 429 by the limit that
 * applied. It reads what the rate-limit and guardrail plugins left on the
 * request, so it changes nothing they do.
 */
export const metricsPlugin = fp<MetricsPluginOptions>(
  (app, options, done) => {
    const { metrics } = options;
    app.addHook('onResponse', (request, reply, next) => {
      const route = routeOf(request);
      metrics.observeHttpRequest({
        method: request.method,
        route,
        status: reply.statusCode,
        durationSeconds: reply.elapsedTime / 1000,
      });
      if (reply.statusCode === 429) {
        const limit =
          request.rateLimits?.find((state) => state.exceeded)?.name ??
          'unknown';
        metrics.countRateLimitRejection(limit, `${request.method} ${route}`);
      }
      for (const result of request.guardrailResults ?? []) {
        for (const hit of result.hits) {
          metrics.countGuardrailHit({
            rule: hit.ruleId,
            stage: hit.stage,
            outcome: hit.outcome,
          });
        }
      }
      next();
    });
    app.get(
      '/metrics',
      {
        schema: {
          summary: 'Prometheus metrics of this gateway instance',
          tags: ['operations'],
          hide: true,
        },
      },
      async (_request, reply) => {
        const text = await metrics.render();
        return reply.type(metrics.contentType).send(text);
      },
    );
    done();
  },
  { name: 'metrics', dependencies: ['rate-limit', 'guardrails'] },
);
