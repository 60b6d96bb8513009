import { format } from 'node:util';
import { setLogger } from '@grpc/grpc-js';
import type { Logger } from 'pino';

/**
 * Sends grpc-js's own diagnostics (which it otherwise writes to the console)
 * to `logger`, tagged `source: 'grpc-js'`. grpc-js has one process-wide
 * logger: the last call wins. startGrpcServer calls it with the server's
 * logger; a client-only process (the gateway) should call it once at start.
 */
export function routeGrpcLogs(logger: Logger): void {
  const child = logger.child({ source: 'grpc-js' });
  setLogger({
    error: (...args: unknown[]) => child.error(format(...args)),
    info: (...args: unknown[]) => child.info(format(...args)),
    debug: (...args: unknown[]) => child.debug(format(...args)),
  });
}
