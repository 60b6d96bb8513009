import { EmailKind, type Contact } from '@fieldwise/contracts';
import { FieldwiseError, ValidationError } from '@fieldwise/errors';
import { z } from 'zod';
import { accountIdSchema, formatMoney } from './schemas.js';
import { defineWriteTool } from './tool.js';

const input = z
  .object({
    accountId: accountIdSchema,
    contactId: z
      .string()
      .trim()
      .max(128)
      .default('')
      .describe(
        'Contact to write to; empty picks the account’s executive contact.',
      ),
    kind: z.enum(['prospecting', 'follow_up']).default('follow_up'),
    subject: z
      .string()
      .trim()
      .max(200)
      .default('')
      .describe('Subject; empty to have one written.'),
    body: z
      .string()
      .trim()
      .max(8000)
      .default('')
      .describe('Body; empty to have one written from account data.'),
    notes: z
      .string()
      .trim()
      .max(2000)
      .default('')
      .describe('Points the email should make (e.g. from the meeting).'),
  })
  .strict();

function pickContact(contacts: readonly Contact[], contactId: string): Contact {
  if (contactId !== '') {
    const found = contacts.find((c) => c.id === contactId);
    if (found === undefined)
      throw new FieldwiseError(
        'NOT_FOUND',
        `contact '${contactId}' was not found`,
      );
    return found;
  }
  const chosen = contacts.find((c) => c.isExecutive) ?? contacts[0];
  if (chosen === undefined)
    throw new ValidationError([
      { field: 'contactId', message: 'the account has no contact to write to' },
    ]);
  return chosen;
}

/** `draft_email`: store an email draft (never sent), after confirmation. */
export const draftEmailTool = defineWriteTool({
  name: 'draft_email',
  permission: 'draft_email',
  writes: true,
  description:
    'Propose a prospecting or follow-up email to a contact of an account. The draft is stored in the CRM (never sent) only after the user confirms. Leave subject and body empty to have them written from account data and the notes.',
  examples: [
    'draft a follow-up email to Acme',
    'write a prospecting email to the CTO of Globex',
    'email the Initech sponsor about next steps',
    'prepare a follow up after my call with Stark',
  ],
  input,
  async run(deps, args, ctx) {
    const account = await deps.crm.getAccount360(
      { accountId: args.accountId },
      ctx,
    );
    const { contacts } = await deps.crm.listContacts(
      {
        accountId: args.accountId,
        query: '',
        page: { pageSize: 100, pageToken: '' },
      },
      ctx,
    );
    const contact = pickContact(contacts, args.contactId);
    const accountName = account.profile?.summary?.name ?? args.accountId;
    const topOpportunity = account.openOpportunities[0];
    const subject =
      args.subject !== ''
        ? args.subject
        : args.kind === 'follow_up'
          ? `Following up: ${accountName} and Lumen Data`
          : `Ideas for ${accountName} from Lumen Data`;
    const lines = [
      `Hi ${contact.firstName},`,
      '',
      args.kind === 'follow_up'
        ? 'Thank you for your time today.'
        : `I work with teams like yours at ${accountName} on data streaming, lakehouse and AI workloads.`,
      ...(args.notes !== '' ? ['', args.notes] : []),
      ...(topOpportunity !== undefined
        ? [
            '',
            `As a next step on ${topOpportunity.name} (${formatMoney(topOpportunity.amount)}), could we set up 30 minutes next week?`,
          ]
        : ['', 'Would you be open to a 30-minute conversation next week?']),
      '',
      'Best regards',
    ];
    const body = args.body !== '' ? args.body : lines.join('\n');
    return {
      summary: `Save a ${args.kind.replace('_', '-')} email draft to ${contact.firstName} ${contact.lastName} at ${accountName} (not sent)`,
      changes: [
        { field: 'to', before: '', after: contact.email },
        { field: 'subject', before: '', after: subject },
        { field: 'body', before: '', after: body },
      ],
      target: { entityType: 'account', entityId: args.accountId },
      arguments: {
        accountId: args.accountId,
        contactId: contact.id,
        kind: args.kind,
        subject,
        body,
      },
    };
  },
  async execute(deps, args, ctx) {
    const response = await deps.crm.createEmailDraft(
      {
        accountId: String(args['accountId']),
        contactId: String(args['contactId']),
        kind:
          args['kind'] === 'prospecting'
            ? EmailKind.PROSPECTING
            : EmailKind.FOLLOW_UP,
        subject: String(args['subject']),
        body: String(args['body']),
        idempotencyKey: ctx.idempotencyKey,
      },
      ctx,
    );
    return {
      result: {
        draftId: response.draft?.id ?? '',
        replayed: response.replayed,
      },
      summary: `Saved email draft ${response.draft?.id ?? ''} (not sent)`,
    };
  },
});
