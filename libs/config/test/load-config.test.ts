import { FieldwiseError } from '@fieldwise/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  bool,
  configWarnings,
  csv,
  loadConfig,
  loadConfigWithWarnings,
  logLevel,
  optionalUrl,
  port,
  secret,
  telemetrySetting,
  url,
} from '../src/index.js';

const schema = z.object({
  PORT: port(8080),
  DATABASE_URL: url({ protocols: ['postgres:', 'postgresql:'] }).describe(
    'PostgreSQL connection string',
  ),
  LOG_LEVEL: logLevel(),
  FEATURE_X: bool(false),
  ALLOWED_ORIGINS: csv(['http://localhost:3000']),
  API_KEY: secret({ minLength: 16 }),
});

function catchError(run: () => unknown): FieldwiseError {
  try {
    run();
  } catch (error) {
    if (error instanceof FieldwiseError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('applies defaults and parses values', () => {
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgres://db.internal:5432/crm',
      API_KEY: 'k'.repeat(16),
    });
    expect(config).toEqual({
      PORT: 8080,
      DATABASE_URL: 'postgres://db.internal:5432/crm',
      LOG_LEVEL: 'info',
      FEATURE_X: false,
      ALLOWED_ORIGINS: ['http://localhost:3000'],
      API_KEY: 'k'.repeat(16),
    });
  });

  it('reads only the schema keys and treats blank values as unset', () => {
    const config = loadConfig(schema, {
      PORT: '   ',
      DATABASE_URL: 'postgres://db/crm',
      API_KEY: 'k'.repeat(16),
      UNRELATED: 'ignored',
    });
    expect(config.PORT).toBe(8080);
    expect(Object.keys(config)).not.toContain('UNRELATED');
  });

  it('reports every problem at once', () => {
    const error = catchError(() =>
      loadConfig(schema, {
        PORT: '70000',
        LOG_LEVEL: 'verbose',
        FEATURE_X: 'maybe',
        API_KEY: 'short-secret',
      }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.violations.map((v) => v.field)).toEqual([
      'PORT',
      'DATABASE_URL',
      'LOG_LEVEL',
      'FEATURE_X',
      'API_KEY',
    ]);
    expect(error.message).toContain('Invalid configuration (5 problems)');
    expect(error.message).toContain(
      '- PORT: must be an integer port between 0 and 65535',
    );
    expect(error.message).toContain(
      '- DATABASE_URL: is required but not set (PostgreSQL connection string)',
    );
    expect(error.message).toContain(
      '- LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(error.message).toContain(
      '- FEATURE_X: must be one of true, false, 1, 0, yes, no',
    );
    expect(error.context).toEqual({ problems: 5 });
  });

  it('never echoes a secret, even from a custom refinement', () => {
    const token = 'sk-live-0123456789';
    const error = catchError(() =>
      loadConfig(z.object({ TOKEN: secret({ minLength: 40 }) }), {
        TOKEN: token,
      }),
    );
    expect(error.message).toContain('TOKEN: must be a secret');
    expect(error.message).not.toContain(token);
    expect(JSON.stringify(error.violations)).not.toContain(token);

    const custom = z.object({
      TOKEN: secret().refine((value) => value.startsWith('fw_'), {
        error: (issue) => `unexpected prefix in ${String(issue.input)}`,
      }),
    });
    const error2 = catchError(() => loadConfig(custom, { TOKEN: token }));
    expect(error2.message).toContain('unexpected prefix in [redacted]');
    expect(error2.message).not.toContain(token);
  });

  it('deep-freezes the result so mutation throws', () => {
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgres://db/crm',
      API_KEY: 'k'.repeat(16),
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.ALLOWED_ORIGINS)).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.ALLOWED_ORIGINS as string[]).push('http://evil.test');
    }).toThrow(TypeError);
    expect(config.PORT).toBe(8080);
  });

  it('drops an invalid telemetry setting with a warning instead of failing', () => {
    const telemetrySchema = z.object({
      PORT: port(8080),
      OTEL_EXPORTER_OTLP_ENDPOINT: telemetrySetting(
        optionalUrl({ protocols: ['http:', 'https:'] }),
        'trace export is disabled',
      ),
    });
    const { config, warnings } = loadConfigWithWarnings(telemetrySchema, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
    });
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(warnings).toEqual([
      {
        variable: 'OTEL_EXPORTER_OTLP_ENDPOINT',
        message:
          'OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute URL using http or https; trace export is disabled',
      },
    ]);
    expect(configWarnings(config)).toBe(warnings);

    const fine = loadConfig(telemetrySchema, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    expect(fine.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://collector:4318');
    expect(configWarnings(fine)).toEqual([]);
  });

  it('still fails on non-telemetry problems when a telemetry setting is bad', () => {
    const mixed = z.object({
      PORT: port(),
      OTEL_EXPORTER_OTLP_ENDPOINT: telemetrySetting(
        optionalUrl(),
        'trace export is disabled',
      ),
    });
    const error = catchError(() =>
      loadConfig(mixed, { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }),
    );
    expect(error.violations).toEqual([
      { field: 'PORT', message: 'is required but not set' },
    ]);
  });

  it('reports object-level refinements under their path', () => {
    const ranged = z
      .object({ MIN: port(1), MAX: port(2) })
      .refine((c) => c.MIN <= c.MAX, {
        message: 'MIN must not exceed MAX',
        path: ['MIN'],
      });
    const error = catchError(() =>
      loadConfig(ranged, { MIN: '9000', MAX: '80' }),
    );
    expect(error.violations).toEqual([
      { field: 'MIN', message: 'MIN must not exceed MAX' },
    ]);
  });
});
