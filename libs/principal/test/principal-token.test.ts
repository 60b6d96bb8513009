import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignJWT } from 'jose';
import {
  AuthenticationError,
  FieldwiseError,
  ValidationError,
} from '@fieldwise/errors';
import {
  createPrincipalSigner,
  createPrincipalVerifier,
  type Principal,
} from '../src/index.js';

const key = new Uint8Array(randomBytes(32));
const otherKey = new Uint8Array(randomBytes(32));

const seller: Principal = {
  userId: 'u-ana',
  tenant: 'northwind',
  roles: ['seller'],
  territories: ['emea-north'],
  name: 'Ana Costa',
  email: 'ana@northwind.example',
};

async function verifyError(
  token: string | undefined,
  verifier = createPrincipalVerifier({ key }),
): Promise<AuthenticationError> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return error as AuthenticationError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('principal tokens', () => {
  it('round-trips a principal, including an acting service', async () => {
    const signer = createPrincipalSigner({ key });
    const verifier = createPrincipalVerifier({ key });
    const impersonated: Principal = {
      ...seller,
      actor: {
        id: 'eval-service',
        role: 'service:eval',
        purpose: 'evaluation',
      },
    };

    expect(await verifier.verify(await signer.sign(seller))).toEqual(seller);
    expect(await verifier.verify(await signer.sign(impersonated))).toEqual(
      impersonated,
    );
  });

  it('accepts the key as base64 text from config', async () => {
    const base64 = Buffer.from(key).toString('base64');
    const token = await createPrincipalSigner({ key: base64 }).sign(seller);
    expect(await createPrincipalVerifier({ key }).verify(token)).toEqual(
      seller,
    );
  });

  it('gives every token its own jti', async () => {
    const signer = createPrincipalSigner({ key });
    const [a, b] = await Promise.all([
      signer.sign(seller),
      signer.sign(seller),
    ]);
    expect(jti(a)).not.toEqual(jti(b));
  });

  it('reports a missing token as PRINCIPAL_MISSING', async () => {
    expect((await verifyError(undefined)).code).toBe('PRINCIPAL_MISSING');
    expect((await verifyError('')).code).toBe('PRINCIPAL_MISSING');
  });

  it('reports an expired token as PRINCIPAL_EXPIRED', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 10 * 60_000);
    const token = await createPrincipalSigner({ key, ttlSeconds: 60 }).sign(
      seller,
    );
    vi.useRealTimers();

    const error = await verifyError(token);
    expect(error.code).toBe('PRINCIPAL_EXPIRED');
    expect(error.status).toBe(16);
  });

  it('rejects a token signed with another key', async () => {
    const token = await createPrincipalSigner({ key: otherKey }).sign(seller);
    expect((await verifyError(token)).code).toBe('PRINCIPAL_INVALID');
  });

  it('rejects a tampered token', async () => {
    const token = await createPrincipalSigner({ key }).sign(seller);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(
      Buffer.from(payload ?? '', 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    claims['roles'] = ['admin'];
    const forged = [
      header,
      Buffer.from(JSON.stringify(claims)).toString('base64url'),
      signature,
    ].join('.');

    expect((await verifyError(forged)).code).toBe('PRINCIPAL_INVALID');
  });

  it('rejects a malformed token', async () => {
    expect((await verifyError('not-a-jwt')).code).toBe('PRINCIPAL_INVALID');
  });

  it('rejects a token for another audience or issuer', async () => {
    const wrongAudience = await createPrincipalSigner({
      key,
      audience: 'someone-else',
    }).sign(seller);
    const wrongIssuer = await createPrincipalSigner({
      key,
      issuer: 'not-the-gateway',
    }).sign(seller);

    const audienceError = await verifyError(wrongAudience);
    expect(audienceError.code).toBe('PRINCIPAL_INVALID');
    expect(audienceError.context).toEqual({ claim: 'aud' });
    expect((await verifyError(wrongIssuer)).code).toBe('PRINCIPAL_INVALID');
  });

  it('rejects a correctly signed token whose claims are not a principal', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ roles: ['superuser'], territories: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-ana')
      .setIssuer('fieldwise-gateway')
      .setAudience('fieldwise-services')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti('j-1')
      .sign(key);

    const error = await verifyError(token);
    expect(error.code).toBe('PRINCIPAL_INVALID');
    expect(error.context['fields']).toContain('tenant');
  });

  it('refuses to sign an invalid principal', async () => {
    const signer = createPrincipalSigner({ key });
    const invalid = { ...seller, roles: ['superuser'] } as unknown as Principal;
    await expect(signer.sign(invalid)).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses keys shorter than 32 bytes', () => {
    const attempt = () => createPrincipalVerifier({ key: new Uint8Array(16) });
    expect(attempt).toThrow(FieldwiseError);
    expect(attempt).toThrow(/at least 32 bytes/);
    expect(() => createPrincipalSigner({ key: 'not base64!' })).toThrow(
      /base64/,
    );
  });
});

function jti(token: string): unknown {
  const payload = token.split('.')[1] ?? '';
  return (
    JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      jti?: unknown;
    }
  ).jti;
}
