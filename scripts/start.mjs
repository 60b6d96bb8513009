// `npm start`: runs the five services on embedded defaults, waits until all
// are healthy, prints where to point a client, streams prefixed logs, and
// stops everything on Ctrl-C. A service that fails to start stops the rest.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env.FIELDWISE_DATA_DIR ?? join(root, '.data'));
const host = '127.0.0.1';
const gatewayPort = Number(process.env.PORT ?? 8080);
const grpcBase = Number(process.env.FIELDWISE_GRPC_BASE_PORT ?? 50051);
const startTimeoutMs = Number(
  process.env.FIELDWISE_START_TIMEOUT_MS ?? 180_000,
);

const services = [
  { name: 'crm', dir: 'apps/crm-service', port: grpcBase + 1 },
  { name: 'retrieval', dir: 'apps/retrieval-service', port: grpcBase + 2 },
  { name: 'agent', dir: 'apps/agent-service', port: grpcBase },
  { name: 'eval', dir: 'apps/eval-service', port: grpcBase + 3 },
];
const addresses = Object.fromEntries(
  services.map((s) => [s.name, `${host}:${s.port}`]),
);
const gateway = { name: 'gateway', dir: 'apps/gateway', port: gatewayPort };

const colors = { crm: 33, retrieval: 35, agent: 36, eval: 34, gateway: 32 };
const levelNames = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const useColor = process.stdout.isTTY;
const children = new Map();
let stopping = false;

function prefix(name) {
  const label = name.padEnd(9);
  return useColor ? `\u001b[${colors[name]}m${label}\u001b[0m|` : `${label}|`;
}

// Services log pino JSON; show it as one readable line per entry.
function formatLine(line) {
  try {
    const entry = JSON.parse(line);
    const level = levelNames[entry.level] ?? entry.level;
    const extras = Object.entries(entry)
      .filter(
        ([key]) =>
          ![
            'level',
            'time',
            'pid',
            'hostname',
            'msg',
            'service',
            'name',
          ].includes(key),
      )
      .map(
        ([key, value]) =>
          `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`,
      )
      .join(' ');
    return `${level.padEnd(5)} ${entry.msg ?? ''}${extras ? ` ${extras}` : ''}`;
  } catch {
    return line;
  }
}

function pipe(name, stream, sink) {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines)
      if (line.trim()) sink.write(`${prefix(name)} ${formatLine(line)}\n`);
  });
}

function launch(service, env) {
  const main = join(root, service.dir, 'dist', 'main.js');
  if (!existsSync(main))
    throw new Error(`${main} is missing: run npm run build`);
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: root,
    env: { ...process.env, FIELDWISE_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(service.name, child);
  pipe(service.name, child.stdout, process.stdout);
  pipe(service.name, child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (!stopping) {
      console.error(
        `${prefix(service.name)} exited (${signal ?? `code ${code}`}) — stopping the others`,
      );
      void stopAll(1);
    }
  });
  return child;
}

async function waitReady(url, deadline) {
  while (Date.now() < deadline) {
    if (stopping) return false;
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  const exits = [...children.values()].map(
    (child) =>
      new Promise((resolveExit) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolveExit();
        });
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const deadline = Date.now() + startTimeoutMs;
const grpcEnv = {
  CRM_SERVICE_ADDR: addresses.crm,
  RETRIEVAL_SERVICE_ADDR: addresses.retrieval,
  AGENT_SERVICE_ADDR: addresses.agent,
  EVAL_SERVICE_ADDR: addresses.eval,
};
for (const service of services) {
  launch(service, {
    ...grpcEnv,
    GRPC_PORT: String(service.port),
    FIELDWISE_GRPC_HOST: host,
  });
}
launch(gateway, { ...grpcEnv, PORT: String(gatewayPort), HOST: host });

// The gateway is ready only when every backend answers its health check.
const gatewayUrl = `http://${host}:${gatewayPort}`;
if (!(await waitReady(`${gatewayUrl}/readyz`, deadline))) {
  if (!stopping) {
    console.error(
      `Fieldwise did not become ready within ${startTimeoutMs / 1000}s`,
    );
    await stopAll(1);
  }
} else {
  const token = await mintToken();
  const lines = [
    '',
    'Fieldwise is up.',
    `  gateway   ${gatewayUrl}   (OpenAPI at ${gatewayUrl}/docs)`,
    ...services.map((s) => `  ${s.name.padEnd(9)} grpc://${addresses[s.name]}`),
    `  data      ${dataDir}`,
    '',
    'Try it:',
    `  curl -s -H "Authorization: Bearer ${token}" ${gatewayUrl}/v1/whoami`,
    `  curl -s -H "Authorization: Bearer ${token}" -H 'Content-Type: application/json' \\`,
    `    -d '{"message":"What should I know before my call with Acme?"}' ${gatewayUrl}/v1/chat`,
    '  (add -N -H "Accept: text/event-stream" to the chat call for the SSE stream)',
    '',
    'More tokens: npm run token -- --role seller|manager|admin|auditor|content-manager',
    'Ctrl-C stops everything.',
    '',
  ];
  console.log(lines.join('\n'));
}

async function mintToken() {
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(
    process.execPath,
    [join(root, 'apps/gateway/dist/cli/token.js'), '--role', 'seller'],
    { env: { ...process.env, FIELDWISE_DATA_DIR: dataDir }, encoding: 'utf8' },
  );
  if (result.status !== 0) return '<run: npm run token -- --role seller>';
  return result.stdout.trim();
}
