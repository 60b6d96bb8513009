import { FieldwiseError, NotFoundError } from '@fieldwise/errors';
import type { CrmServiceService, Proposal } from '@fieldwise/contracts';
import type { CallContext, ServiceHandlers } from '@fieldwise/grpc';
import { z } from 'zod';
import {
  createEmailDraft,
  createProposal,
  resolveAccess,
  updateField,
} from '../domain/index.js';
import { idSchema } from '../domain/functions/common-inputs.js';
import { parseInput } from '../domain/validation.js';
import {
  crmEntityTypeToJSON,
  emailKindToJSON,
  type CrmEntityType,
  type EmailKind,
} from '@fieldwise/contracts';
import {
  EMAIL_KIND_FROM_PROTO,
  ENTITY_FROM_PROTO,
  emailKindToProto,
  entityToProto,
} from './enum-maps.js';
import { scopeOf, type CrmHandlerDeps } from './handler-deps.js';
import { fromEnum, optionalText, renameViolations } from './request-fields.js';
import { fieldMapping } from './update-field-request.js';

type WriteHandlers = Pick<
  ServiceHandlers<typeof CrmServiceService>,
  'updateField' | 'createEmailDraft' | 'createProposal'
>;

/** Use cases a proposal features when the request names none. */
const DEFAULT_FEATURED_USE_CASES = 3;
const TEMPLATES = new Set(['standard', 'executive-brief']);
const proposalRequestSchema = z.object({
  opportunityId: idSchema.optional(),
  templateId: z.string().max(64).optional(),
});

/**
 * Writes. Each is checked against the caller's scope by the store; a write
 * outside it is PERMISSION_DENIED and audited (authz decision: deny). A
 * field update's audit event is appended from inside the store's write
 * transaction (the `onChange` hook), so a failed append rolls the change
 * back; created drafts and proposals are audited right after they commit.
 */
export function writeHandlers(deps: CrmHandlerDeps): WriteHandlers {
  const { crm, audit } = deps;

  /** Runs a write; on PERMISSION_DENIED records the refusal, then rethrows. */
  async function audited<T>(
    ctx: CallContext,
    resource: string,
    action: string,
    write: () => Promise<T>,
  ): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (
        error instanceof FieldwiseError &&
        error.code === 'PERMISSION_DENIED'
      ) {
        audit.writeDenied(ctx, { resource, action, reason: error.message });
      }
      throw error;
    }
  }

  return {
    async updateField(request, ctx) {
      const entity = fromEnum(
        'entityType',
        request.entityType,
        ENTITY_FROM_PROTO,
        (v) => crmEntityTypeToJSON(v as CrmEntityType),
      );
      const mapping = fieldMapping(entity, request.field);
      const value = mapping.parse(request.newValue);
      const idempotencyKey = optionalText(request.idempotencyKey);
      const result = await audited(
        ctx,
        `${entity}/${request.entityId}`,
        'update_field',
        async () => {
          try {
            return await updateField(
              crm,
              scopeOf(ctx),
              {
                entity,
                id: request.entityId,
                field: mapping.domain,
                value,
                expectedVersion: request.expectedVersion,
                ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
              },
              (change) => audit.fieldChanged(ctx, change, idempotencyKey),
            );
          } catch (error) {
            throw renderConflict(error, mapping.render);
          }
        },
      ).catch((error: unknown) => {
        throw renameViolations(error, {
          id: 'entityId',
          value: 'newValue',
          expectedVersion: 'expectedVersion',
        });
      });
      const { change } = result;
      return {
        entityType: entityToProto(change.entity),
        entityId: change.id,
        change: {
          field: request.field,
          before: mapping.render(change.before),
          after: mapping.render(change.after),
        },
        newVersion: change.version,
        replayed: result.replayed,
      };
    },

    async createEmailDraft(request, ctx) {
      const kind = fromEnum(
        'kind',
        request.kind,
        EMAIL_KIND_FROM_PROTO,
        (v) => emailKindToJSON(v as EmailKind),
        'follow-up',
      );
      const idempotencyKey = optionalText(request.idempotencyKey);
      const contactId = optionalText(request.contactId);
      const subject = optionalText(request.subject);
      const body = optionalText(request.body);
      const scope = scopeOf(ctx);
      const result = await audited(
        ctx,
        `account/${request.accountId}`,
        'create_email_draft',
        () =>
          createEmailDraft(crm, scope, {
            accountId: request.accountId,
            kind,
            ...(contactId === undefined ? {} : { contactId }),
            ...(subject === undefined ? {} : { topic: subject }),
            ...(body === undefined ? {} : { notes: body }),
            ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
          }),
      ).catch((error: unknown) => {
        throw renameViolations(error, { topic: 'subject', notes: 'body' });
      });
      const draft = result.record;
      if (!result.replayed) {
        audit.recordCreated(ctx, {
          entity: 'email_draft',
          id: draft.id,
          fields: ['subject', 'body'],
          idempotencyKey,
        });
      }
      const access = await resolveAccess(crm.store, scope);
      const contact = draft.contactId
        ? await crm.store.getContact(access, draft.contactId)
        : undefined;
      return {
        draft: {
          id: draft.id,
          accountId: draft.accountId,
          contactId: draft.contactId ?? '',
          to: contact?.email ?? '',
          subject: draft.subject,
          body: draft.body,
          kind: emailKindToProto(draft.kind),
          createdBy: draft.authorId,
          createdAt: draft.createdAt,
        },
        replayed: result.replayed,
      };
    },

    async createProposal(request, ctx) {
      const input = parseInput(proposalRequestSchema, {
        opportunityId: optionalText(request.opportunityId),
        templateId: optionalText(request.templateId),
      });
      const template = input.templateId ?? 'standard';
      if (!TEMPLATES.has(template)) {
        throw new FieldwiseError(
          'VALIDATION_FAILED',
          'Unknown proposal template',
          {
            violations: [
              {
                field: 'templateId',
                message: `must be one of ${[...TEMPLATES].join(', ')}`,
              },
            ],
          },
        );
      }
      const idempotencyKey = optionalText(request.idempotencyKey);
      const title = optionalText(request.title);
      const scope = scopeOf(ctx);
      const result = await audited(
        ctx,
        `account/${request.accountId}`,
        'create_proposal',
        async () => {
          const access = await resolveAccess(crm.store, scope);
          let useCaseIds = request.useCaseIds;
          if (input.opportunityId !== undefined || useCaseIds.length === 0) {
            // Only for a well-formed id: the domain reports a bad one.
            const account = idSchema.safeParse(request.accountId).success
              ? await crm.store.getAccount(access, request.accountId)
              : undefined;
            if (account && input.opportunityId !== undefined) {
              const opportunity = await crm.store.getOpportunity(
                access,
                input.opportunityId,
              );
              if (opportunity?.accountId !== account.id)
                throw new NotFoundError('opportunity', input.opportunityId);
            }
            if (account && useCaseIds.length === 0) {
              // The contract's default: feature the top use cases by revenue.
              const top = await crm.store.listUseCases(access, {
                accountId: account.id,
              });
              useCaseIds = top
                .slice(0, DEFAULT_FEATURED_USE_CASES)
                .map((u) => u.id);
            }
          }
          return createProposal(crm, scope, {
            accountId: request.accountId,
            useCaseIds,
            template: template as 'standard' | 'executive-brief',
            ...(title === undefined ? {} : { title }),
            ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
          });
        },
      );
      const record = result.record;
      if (!result.replayed) {
        audit.recordCreated(ctx, {
          entity: 'proposal',
          id: record.id,
          fields: ['title', 'markdown', 'html'],
          idempotencyKey,
        });
      }
      const proposal: Proposal = {
        id: record.id,
        accountId: record.accountId,
        opportunityId: input.opportunityId ?? '',
        title: record.title,
        templateId: template,
        markdown: record.markdown,
        html: record.html,
        createdBy: record.authorId,
        createdAt: record.createdAt,
      };
      return { proposal, replayed: result.replayed };
    },
  };
}

/** A version conflict with the current value rendered like the request's value. */
function renderConflict(
  error: unknown,
  render: (value: string | number | null) => string,
): unknown {
  if (
    !(error instanceof FieldwiseError) ||
    error.code !== 'CONFLICT' ||
    !('currentValue' in error.context)
  ) {
    return error;
  }
  const current =
    error.context['currentValueIsNull'] === true
      ? null
      : error.context['currentValue'];
  return new FieldwiseError('CONFLICT', error.message, {
    context: {
      ...error.context,
      currentValue: render(
        typeof current === 'boolean' ? String(current) : (current ?? null),
      ),
    },
    cause: error,
  });
}
