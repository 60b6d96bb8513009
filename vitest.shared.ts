import { readdirSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import type { UserWorkspaceConfig } from 'vitest/config';

const root = import.meta.dirname;

/**
 * Tests run against library sources, not build output: every `@fieldwise/<lib>`
 * import (and its `/testing` subpath) is aliased to `libs/<lib>/src`.
 */
function libraryAliases(): { find: RegExp; replacement: string }[] {
  const libs = readdirSync(join(root, 'libs'));
  return libs.flatMap((lib) => {
    const src = join(root, 'libs', lib, 'src');
    const aliases = [
      {
        find: new RegExp(`^@fieldwise/${lib}$`),
        replacement: join(src, 'index.ts'),
      },
    ];
    if (existsSync(join(src, 'testing.ts'))) {
      aliases.push({
        find: new RegExp(`^@fieldwise/${lib}/testing$`),
        replacement: join(src, 'testing.ts'),
      });
    }
    return aliases;
  });
}

/** The Vitest project settings every workspace package shares. */
export function sharedProjectConfig(dir: string): UserWorkspaceConfig {
  return {
    resolve: { alias: libraryAliases() },
    test: {
      name: basename(dir),
      root: dir,
      include: ['test/**/*.test.ts'],
      setupFiles: [join(root, 'scripts', 'vitest-console-guard.ts')],
      // A guard against hangs, not a speed check: Kafka and gRPC integration
      // tests on a loaded 2-core machine can take tens of seconds.
      testTimeout: 120_000,
      hookTimeout: 120_000,
      env: {
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
      },
    },
  };
}
