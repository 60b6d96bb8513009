import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AuthenticationError } from '@fieldwise/errors';
import type { PrincipalSigner } from '@fieldwise/principal';
import './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** A short-lived, gateway-signed token naming this request's principal. */
    principalToken(): Promise<string>;
  }
}

export interface PrincipalTokenOptions {
  signer: PrincipalSigner;
}

/**
 * Services trust only what the gateway signed: each downstream call carries a
 * fresh short-lived principal token minted from the authenticated caller.
 */
export const principalTokenPlugin = fp<PrincipalTokenOptions>(
  (app, options, done) => {
    app.decorateRequest(
      'principalToken',
      async function (this: FastifyRequest) {
        if (!this.principal) {
          throw new AuthenticationError(
            'AUTH_MISSING',
            'Request is not authenticated',
          );
        }
        return options.signer.sign(this.principal);
      },
    );
    done();
  },
  { name: 'principal-token', dependencies: ['auth'] },
);
