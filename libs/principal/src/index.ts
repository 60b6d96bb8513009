export {
  PRINCIPAL_METADATA_KEY,
  PRINCIPAL_ROLES,
  SERVICE_ACTOR_ROLES,
  principalActorSchema,
  principalSchema,
  type Principal,
  type PrincipalActor,
  type PrincipalRole,
} from './principal.js';
export {
  MIN_KEY_BYTES,
  resolveKey,
  type PrincipalKey,
} from './principal-key.js';
export {
  createPrincipalSigner,
  type PrincipalSigner,
  type PrincipalSignerOptions,
  type PrincipalSignOptions,
} from './principal-signer.js';
export {
  createPrincipalVerifier,
  type PrincipalVerifier,
  type PrincipalVerifierOptions,
} from './principal-verifier.js';
export {
  DEFAULT_PRINCIPAL_AUDIENCE,
  DEFAULT_PRINCIPAL_ISSUER,
} from './token-claims.js';
export { loadOrCreateSecret } from './secret-file.js';
