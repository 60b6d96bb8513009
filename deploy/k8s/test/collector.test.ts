import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, productionParams } from '../src/index.js';

interface CollectorConfig {
  receivers: Record<string, unknown>;
  processors: Record<string, unknown>;
  exporters: Record<string, unknown>;
  extensions?: Record<string, unknown>;
  service: {
    extensions?: string[];
    pipelines: Record<
      string,
      { receivers: string[]; processors?: string[]; exporters: string[] }
    >;
  };
}

const config = parse(
  readFileSync(join(REPO_ROOT, 'deploy', 'otel', 'collector.yaml'), 'utf8'),
) as CollectorConfig;

describe('deploy/otel/collector.yaml', () => {
  it('every pipeline uses only components it defines', () => {
    for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
      for (const receiver of pipeline.receivers) {
        expect(config.receivers, `${name}: ${receiver}`).toHaveProperty([
          receiver,
        ]);
      }
      for (const processor of pipeline.processors ?? []) {
        expect(config.processors, `${name}: ${processor}`).toHaveProperty([
          processor,
        ]);
      }
      for (const exporter of pipeline.exporters) {
        expect(config.exporters, `${name}: ${exporter}`).toHaveProperty([
          exporter,
        ]);
      }
    }
    for (const extension of config.service.extensions ?? []) {
      expect(config.extensions).toHaveProperty([extension]);
    }
  });

  it('receives OTLP/HTTP on the port the manifests send traces to', () => {
    const port = productionParams.otelCollector?.port;
    expect(new URL(productionParams.otelCollector?.url ?? '').port).toBe(
      String(port),
    );
    expect(JSON.stringify(config.receivers['otlp'])).toContain(`:${port}`);
    expect(config.service.pipelines['traces']?.receivers).toContain('otlp');
    // Memory protection first, batching last, as the Collector advises.
    const processors = config.service.pipelines['traces']?.processors ?? [];
    expect(processors[0]).toBe('memory_limiter');
    expect(processors.at(-1)).toBe('batch');
  });
});
