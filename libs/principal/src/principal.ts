import { z } from 'zod';

/** The roles a Fieldwise principal can hold (DESIGN.md "Contracts and identity"). */
export const PRINCIPAL_ROLES = [
  'seller',
  'manager',
  'admin',
  'auditor',
  'content-manager',
  'partner',
] as const;

/** Service identities that may act for a user (never on their own). */
export const SERVICE_ACTOR_ROLES = ['service:agent', 'service:eval'] as const;

/** One role of {@link PRINCIPAL_ROLES}. */
export type PrincipalRole = (typeof PRINCIPAL_ROLES)[number];

/**
 * A service identity acting on behalf of the user (RFC 8693 `act`): the agent
 * for the signed-in user (`on-behalf`), or the eval service impersonating a
 * user to replay a dataset (`evaluation`). Its rights never exceed the user's.
 */
export const principalActorSchema = z.object({
  id: z.string().min(1),
  role: z.enum(SERVICE_ACTOR_ROLES),
  purpose: z.enum(['on-behalf', 'evaluation']),
});

/** The service identity acting for the user; see {@link principalActorSchema}. */
export type PrincipalActor = z.infer<typeof principalActorSchema>;

/**
 * Who a call is made for: the authenticated user as the gateway resolved it.
 * Services trust it only when it arrives inside a verified principal token.
 */
export const principalSchema = z.object({
  userId: z.string().min(1),
  tenant: z.string().min(1),
  roles: z.array(z.enum(PRINCIPAL_ROLES)),
  territories: z.array(z.string().min(1)),
  name: z.string().min(1).optional(),
  email: z.email().optional(),
  actor: principalActorSchema.optional(),
});

/** A validated principal; see {@link principalSchema}. */
export type Principal = z.infer<typeof principalSchema>;

/** The gRPC metadata key that carries the signed principal token. */
export const PRINCIPAL_METADATA_KEY = 'x-fieldwise-principal';
