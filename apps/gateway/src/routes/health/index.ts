import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Result of one readiness check: `ok`, or why it is not. */
export type ReadinessReport = Record<string, { ok: boolean; detail?: string }>;

export interface HealthRouteOptions {
  /** Checks hard dependencies (backend services, stores); never throws. */
  readiness(): Promise<ReadinessReport>;
  /** False once the process is draining: readiness fails so traffic moves away. */
  isAcceptingTraffic(): boolean;
}

const readinessSchema = z.object({
  ready: z.boolean(),
  checks: z.record(
    z.string(),
    z.object({ ok: z.boolean(), detail: z.string().optional() }),
  ),
});

/** Liveness and readiness probes for Kubernetes and `npm start`. */
export const healthRoutes: FastifyPluginCallback<HealthRouteOptions> = (
  app,
  options,
  done,
) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: the process is up',
        tags: ['operations'],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );
  typed.get(
    '/readyz',
    {
      schema: {
        summary:
          'Readiness: hard dependencies answer and the instance is not draining',
        tags: ['operations'],
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const checks = await options.readiness();
      if (!options.isAcceptingTraffic())
        checks.gateway = { ok: false, detail: 'draining' };
      const ready = Object.values(checks).every((check) => check.ok);
      return reply.code(ready ? 200 : 503).send({ ready, checks });
    },
  );
  done();
};
