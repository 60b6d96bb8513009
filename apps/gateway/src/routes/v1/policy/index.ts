import type { FastifyPluginCallback } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Authorizer } from '@fieldwise/authz';
import type { PolicyEditor } from '../../../policy/policy-editor.js';
import { problemSchema, standardErrors } from '../../../schemas/problem.js';

const policyView = z.object({
  tenant: z.string(),
  version: z.number().int().describe('Increases on every reload'),
  lines: z
    .array(z.string())
    .describe(
      "Effective policy lines of the tenant: its own, every tenant's (`*`) and role inheritance",
    ),
});

const policyEdit = z
  .object({
    lines: z
      .array(z.string().min(1).max(512))
      .max(500)
      .describe(
        "The tenant's own lines (`p, <subject>, <tenant>, <resource>, <action>, allow|deny`); they replace the current ones",
      ),
  })
  .strict();

const policyEditResult = policyView.extend({
  tenantLines: z.number().int(),
  notified: z
    .boolean()
    .describe('Whether other replicas were told to reload through Redis'),
});

/** Options of {@link policyRoutes}. */
export interface PolicyRouteOptions {
  readonly authorizer: Authorizer;
  readonly editor: PolicyEditor;
}

/**
 * `GET /v1/policy` (admins and auditors): the effective policy of the
 * caller's tenant. `PUT /v1/policy` (admins): replaces the caller's tenant
 * lines; lines for any other tenant or for everyone are refused (403).
 */
export const policyRoutes: FastifyPluginCallback<PolicyRouteOptions> = (
  app,
  options,
  done,
) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/policy',
    {
      schema: {
        summary: 'The effective authorization policy of your tenant',
        tags: ['governance'],
        response: { 200: policyView, ...standardErrors },
      },
    },
    async (request) => {
      const principal = await request.authenticate();
      return {
        tenant: principal.tenant,
        version: options.authorizer.policyVersion,
        lines: [...options.authorizer.effectivePolicy(principal.tenant)],
      };
    },
  );
  typed.put(
    '/policy',
    {
      schema: {
        summary: "Replace your tenant's own policy lines",
        tags: ['governance'],
        body: policyEdit,
        response: {
          200: policyEditResult,
          ...standardErrors,
          413: problemSchema,
          415: problemSchema,
        },
      },
    },
    async (request) => {
      const principal = await request.authenticate();
      const result = await options.editor.replaceTenantLines(
        principal.tenant,
        request.body.lines,
      );
      return {
        tenant: principal.tenant,
        version: result.version,
        lines: [...options.authorizer.effectivePolicy(principal.tenant)],
        tenantLines: result.tenantLines,
        notified: result.notified,
      };
    },
  );
  done();
};
