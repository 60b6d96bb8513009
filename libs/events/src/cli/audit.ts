#!/usr/bin/env node
import pino from 'pino';
import { runAuditCli } from './run-audit-cli.js';

// The CLI's own wiring: logs to stderr, Ctrl-C stops `tail --follow` cleanly.
// `npm run audit` runs in this package's directory; paths are meant from where it was typed.
if (process.env['INIT_CWD']) process.chdir(process.env['INIT_CWD']);
const logger = pino(
  { level: process.env['LOG_LEVEL'] ?? 'warn' },
  pino.destination(2),
);
const controller = new AbortController();
// `audit tail | head` closes the pipe early: that ends the output, it is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  controller.abort();
  process.exit(0);
});
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

process.exitCode = await runAuditCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  logger,
  signal: controller.signal,
});
