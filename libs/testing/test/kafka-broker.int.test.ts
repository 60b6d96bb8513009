import { connect } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeWithKafka, kafkaAvailability } from '../src/index.js';

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('kafkaAvailability', () => {
  it('reports a missing Java runtime with a reason', () => {
    const result = kafkaAvailability({
      javaCommand: '/nonexistent/bin/java-for-test',
    });
    expect(result.available).toBe(false);
    expect(result.reason).toMatch(/Java/);
  });
});

describeWithKafka('startKafkaBroker', ({ broker }) => {
  it('serves on its port and keeps its data across stop and start', async () => {
    const running = broker();
    expect(running.brokers).toEqual([`127.0.0.1:${running.port}`]);
    expect(await canConnect(running.port)).toBe(true);
    const meta = join(running.dataDir, 'kraft-logs', 'meta.properties');
    expect(existsSync(meta)).toBe(true);
    const clusterId = readFileSync(meta, 'utf8');

    await running.stop();
    expect(await canConnect(running.port)).toBe(false);

    await running.start();
    expect(await canConnect(running.port)).toBe(true);
    expect(readFileSync(meta, 'utf8')).toBe(clusterId);
  });
});
