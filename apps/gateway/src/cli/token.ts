import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { loadGatewayConfig } from '../config.js';
import { resolveJwtSecret } from '../auth-keys.js';

const ROLES = [
  'seller',
  'manager',
  'admin',
  'auditor',
  'content-manager',
  'partner',
] as const;

/**
 * The first user of a role in the CRM's seeded GOLD directory (see
 * apps/crm-service/SEED-FACTS.md), so a default token sees seeded data: the
 * CRM scopes every read by the user it finds in its own directory. Partners
 * are not seeded.
 */
function seededUser(role: (typeof ROLES)[number], tenant: string): string {
  if (role === 'partner') return 'dev-partner';
  const kind = role === 'content-manager' ? 'content' : role;
  return `usr-${tenant}-${kind}-01`;
}

/**
 * `npm run token -- --role seller [--user ID] [--tenant T] [--territories a,b]`
 * prints a dev bearer token signed with the gateway's dev secret; who it is
 * goes to stderr so the token can be captured with $(...).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'seller' },
      user: { type: 'string' },
      tenant: { type: 'string', default: 'lumen' },
      territories: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    },
  });
  const role = values.role as (typeof ROLES)[number];
  if (!ROLES.includes(role)) {
    throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  }
  const config = loadGatewayConfig();
  const secret = await resolveJwtSecret(config);
  const userId = values.user ?? seededUser(role, values.tenant);
  const territories = values.territories
    ? values.territories
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
  const token = await new SignJWT({
    tenant: values.tenant,
    roles: [role],
    territories,
    name: values.name ?? userId,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(values.ttl)
    .setIssuer(config.AUTH_ISSUER)
    .setAudience(config.AUTH_AUDIENCE)
    .sign(secret);
  process.stderr.write(
    `token for ${userId} (role ${role}, tenant ${values.tenant}, territories ${territories.join(',') || 'none'})\n`,
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
