import { FieldwiseError } from '@fieldwise/errors';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { baseServiceEnv, loadConfigWithWarnings, port } from '../src/index.js';

const schema = z.object({ ...baseServiceEnv, PORT: port(50051) });

describe('baseServiceEnv', () => {
  it('starts with nothing set', () => {
    const { config, warnings } = loadConfigWithWarnings(schema, {});
    expect(config).toEqual({
      FIELDWISE_DATA_DIR: join(process.cwd(), '.data'),
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
      OTEL_SERVICE_NAME: undefined,
      FIELDWISE_PRINCIPAL_KEY: undefined,
      FIELDWISE_GRPC_HOST: '127.0.0.1',
      PORT: 50051,
    });
    expect(warnings).toEqual([]);
    expectTypeOf(config.FIELDWISE_DATA_DIR).toEqualTypeOf<string>();
    expectTypeOf(config.PORT).toEqualTypeOf<number>();
    expectTypeOf(config.OTEL_EXPORTER_OTLP_ENDPOINT).toEqualTypeOf<
      string | undefined
    >();
    expectTypeOf(config.LOG_LEVEL).toEqualTypeOf<
      'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
    >();
  });

  it('turns a malformed OTLP endpoint into a warning, not a failure', () => {
    const { config, warnings } = loadConfigWithWarnings(schema, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318',
      LOG_LEVEL: 'debug',
    });
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(config.LOG_LEVEL).toBe('debug');
    expect(warnings.map((w) => w.variable)).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT',
    ]);
    expect(warnings[0]?.message).toContain('trace export is disabled');
  });

  it('rejects a weak principal key without echoing it', () => {
    const weak = Buffer.from('too-short-key').toString('base64');
    let caught: unknown;
    try {
      loadConfigWithWarnings(schema, { FIELDWISE_PRINCIPAL_KEY: weak });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FieldwiseError);
    const error = caught as FieldwiseError;
    expect(error.violations.map((v) => v.field)).toEqual([
      'FIELDWISE_PRINCIPAL_KEY',
    ]);
    expect(error.message).not.toContain(weak);
  });
});
