import { createHash, randomUUID } from 'node:crypto';
import { NotFoundError } from '@fieldwise/errors';
import { z } from 'zod';
import type { InsertResult } from '../../adapters/store/port.js';
import { resolveAccess, type CallerScope } from '../access/caller-scope.js';
import type { EmailDraftRecord } from '../model.js';
import { parseInput } from '../validation.js';
import { idempotencyKeySchema, idSchema } from './common-inputs.js';
import { productLineName, type CrmDeps } from './deps.js';

/** Input of {@link createEmailDraft}. */
export const createEmailDraftInputSchema = z.object({
  accountId: idSchema,
  contactId: idSchema.optional(),
  kind: z.enum(['prospecting', 'follow-up']).default('follow-up'),
  topic: z.string().trim().max(200).optional(),
  notes: z.string().trim().max(4000).optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
});

/**
 * Drafts (stores, never sends) a prospecting or follow-up email to a contact
 * of a visible account, written from the account's data. Out-of-scope
 * accounts are PERMISSION_DENIED; an unknown contact is NOT_FOUND.
 */
export async function createEmailDraft(
  deps: CrmDeps,
  scope: CallerScope,
  input: z.input<typeof createEmailDraftInputSchema>,
): Promise<InsertResult<EmailDraftRecord>> {
  const parsed = parseInput(createEmailDraftInputSchema, input);
  const access = await resolveAccess(deps.store, scope);
  await deps.store.checkAccountWrite(access, parsed.accountId);
  const account = await deps.store.getAccount(access, parsed.accountId);
  if (!account) throw new NotFoundError('account', parsed.accountId);
  const contacts = await deps.store.listContacts(access, account.id);
  const contact = parsed.contactId
    ? contacts.find((c) => c.id === parsed.contactId)
    : (contacts.find((c) => c.isExecutive) ?? contacts[0]);
  if (parsed.contactId && !contact)
    throw new NotFoundError('contact', parsed.contactId);
  const [useCases, author] = await Promise.all([
    deps.store.listUseCases(access, { accountId: account.id }),
    deps.store.findUser(access.tenant, access.userId),
  ]);
  const top = useCases[0];
  const topic =
    parsed.topic ??
    (top
      ? `${top.name} on ${productLineName(deps, top.productLine)}`
      : 'your data platform');
  const greeting = contact ? `Hi ${contact.name.split(' ')[0]},` : 'Hello,';
  const subject =
    parsed.kind === 'prospecting'
      ? `${account.name} and ${deps.vocabulary.vendor}: ${topic}`
      : `Following up: ${topic}`;
  const body = [
    greeting,
    '',
    parsed.kind === 'prospecting'
      ? `I lead the ${deps.vocabulary.vendor} relationship with ${account.name} and would value 30 minutes to discuss ${topic}.`
      : `Thank you for your time. Following up on ${topic} for ${account.name}.`,
    ...(parsed.notes ? ['', parsed.notes] : []),
    '',
    'Would next week work for a short call?',
    '',
    'Best regards,',
    author?.name ?? access.userId,
  ].join('\n');
  const createdAt = deps.clock().toISOString();
  const record: EmailDraftRecord = {
    id: `draft-${(deps.newId ?? randomUUID)()}`,
    tenantId: access.tenant,
    accountId: account.id,
    contactId: contact?.id ?? null,
    authorId: access.userId,
    kind: parsed.kind,
    subject,
    body,
    createdAt,
  };
  const idempotency = parsed.idempotencyKey
    ? {
        key: parsed.idempotencyKey,
        requestHash: createHash('sha256')
          .update(
            JSON.stringify([
              'email',
              parsed.accountId,
              parsed.contactId,
              parsed.kind,
              parsed.topic,
              parsed.notes,
            ]),
          )
          .digest('hex'),
      }
    : undefined;
  return deps.store.insertEmailDraft(access, record, idempotency);
}
