import { join } from 'node:path';
import { loadOrCreateSecret, resolveKey } from '@fieldwise/principal';
import type { GatewayConfig } from './config.js';

/** Where embedded mode keeps the generated dev secret for bearer tokens. */
export function devJwtSecretPath(dataDir: string): string {
  return join(dataDir, 'gateway', 'jwt-dev.key');
}

/** The HS256 bearer-token secret: configured, or generated once into the data dir. */
export async function resolveJwtSecret(
  config: GatewayConfig,
): Promise<Uint8Array> {
  if (config.AUTH_JWT_SECRET) return resolveKey(config.AUTH_JWT_SECRET);
  return loadOrCreateSecret(devJwtSecretPath(config.FIELDWISE_DATA_DIR));
}
