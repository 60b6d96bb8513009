import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { context } from '@opentelemetry/api';
import type { PendingAction } from '@fieldwise/contracts';
import { FieldwiseError, isErrorCode } from '@fieldwise/errors';
import type { AgentCall, AgentClient } from '../../../clients/agent-client.js';
import {
  actionStateSchema,
  parseJsonObject,
  toPublicActionState,
} from '../../../schemas/assistant.js';
import { problemSchema, standardErrors } from '../../../schemas/problem.js';

const actionParams = z.object({
  id: z.string().min(1).max(128).describe('PendingAction id'),
});
const rejectBody = z
  .object({
    reason: z
      .string()
      .max(1000)
      .optional()
      .describe('Why the user rejected it (optional)'),
  })
  .strict()
  // No body at all is fine: Fastify passes it as null.
  .nullish();

const confirmResponse = z.object({
  action: actionStateSchema,
  result: z
    .record(z.string(), z.unknown())
    .describe('What the write tool returned, e.g. the new record version'),
});
const rejectResponse = z.object({ action: actionStateSchema });

// Decisions answer with these besides the standard errors: unknown action
// (404), expired or already decided (400), version conflict (409).
const decisionErrors = {
  ...standardErrors,
  404: problemSchema,
  409: problemSchema,
} as const;

/** Options of {@link actionRoutes}. */
export interface ActionRouteOptions {
  readonly agent: AgentClient;
}

function requireAction(action: PendingAction | undefined): PendingAction {
  if (!action)
    throw new FieldwiseError('INTERNAL', 'The agent returned no action');
  return action;
}

/**
 * `POST /v1/actions/{id}/confirm` and `/reject`: the user's decision on a
 * write action the agent proposed. The agent enforces ownership, expiry and
 * once-only execution; its refusals arrive as typed gRPC errors and become
 * problem+json with distinct codes: NOT_FOUND (404), PERMISSION_DENIED for
 * another user's action (403), ACTION_EXPIRED and ACTION_ALREADY_DECIDED
 * (400), and CONFLICT (409) when the record changed since it was proposed.
 */
export const actionRoutes: FastifyPluginCallback<ActionRouteOptions> = (
  app,
  options,
  done,
) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const callOf = async (request: FastifyRequest): Promise<AgentCall> => ({
    principalToken: await request.principalToken(),
    context: request.otelContext ?? context.active(),
  });

  typed.post(
    '/actions/:id/confirm',
    {
      schema: {
        summary: 'Confirm a pending write action (executes it, once)',
        tags: ['assistant'],
        params: actionParams,
        response: { 200: confirmResponse, ...decisionErrors },
      },
    },
    async (request) => {
      const response = await options.agent.confirmAction(
        { actionId: request.params.id },
        await callOf(request),
      );
      if (response.errorCode !== '') {
        // The action ran and failed (it is now FAILED): the client gets
        // the reason as an error, e.g. CONFLICT when the record moved on.
        throw new FieldwiseError(
          isErrorCode(response.errorCode) ? response.errorCode : 'INTERNAL',
          `The action failed (${response.errorCode}); it will not be retried`,
          { context: { actionId: request.params.id } },
        );
      }
      return {
        action: toPublicActionState(requireAction(response.action)),
        result: parseJsonObject(response.resultJson),
      };
    },
  );

  typed.post(
    '/actions/:id/reject',
    {
      schema: {
        summary: 'Reject a pending write action',
        tags: ['assistant'],
        params: actionParams,
        body: rejectBody,
        response: { 200: rejectResponse, ...decisionErrors },
      },
    },
    async (request) => {
      const response = await options.agent.rejectAction(
        { actionId: request.params.id, reason: request.body?.reason ?? '' },
        await callOf(request),
      );
      return { action: toPublicActionState(requireAction(response.action)) };
    },
  );
  done();
};
