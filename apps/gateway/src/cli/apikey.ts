import { loadGatewayConfig } from '../config.js';
import { openApiKeyStore } from '../api-keys/index.js';
import { runApiKeyCommand } from './apikey-commands.js';

/**
 * `npm run apikey -- create|list|revoke …`: manages service-account API keys
 * in the store the gateway uses (SQLite under the data dir, or PostgreSQL
 * when DATABASE_URL is set). A revocation takes effect on running gateways
 * within API_KEY_CACHE_TTL, without a restart.
 */
async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const { store } = await openApiKeyStore({
    dataDir: config.FIELDWISE_DATA_DIR,
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
  });
  try {
    process.exitCode = await runApiKeyCommand(process.argv.slice(2), store, {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
