import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  baseServiceEnv,
  bool,
  csv,
  describeEnv,
  formatEnvTable,
  optionalSecret,
  port,
  url,
} from '../src/index.js';

describe('describeEnv', () => {
  it('lists name, default, description and required in schema order', () => {
    const schema = z.object({
      PORT: port(8080).describe('HTTP port'),
      DATABASE_URL: url().describe('PostgreSQL connection string'),
      CORS_ORIGINS: csv(['http://a.test', 'http://b.test']),
      DEBUG_SQL: bool(false).optional().describe('Log SQL | verbose'),
      API_KEY: optionalSecret().describe('Model API key'),
      RAW: z.string().default('x'),
    });
    expect(describeEnv(schema)).toEqual([
      {
        name: 'PORT',
        default: '8080',
        description: 'HTTP port',
        required: false,
        secret: false,
      },
      {
        name: 'DATABASE_URL',
        default: undefined,
        description: 'PostgreSQL connection string',
        required: true,
        secret: false,
      },
      {
        name: 'CORS_ORIGINS',
        default: 'http://a.test,http://b.test',
        description: undefined,
        required: false,
        secret: false,
      },
      {
        name: 'DEBUG_SQL',
        default: 'false',
        description: 'Log SQL | verbose',
        required: false,
        secret: false,
      },
      {
        name: 'API_KEY',
        default: undefined,
        description: 'Model API key',
        required: false,
        secret: true,
      },
      {
        name: 'RAW',
        default: 'x',
        description: undefined,
        required: false,
        secret: false,
      },
    ]);
  });

  it('renders a Markdown table', () => {
    const schema = z.object({
      PORT: port(8080).describe('HTTP port'),
      DATABASE_URL: url().describe('Connection | string'),
    });
    expect(formatEnvTable(describeEnv(schema))).toBe(
      [
        '| Variable | Required | Default | Description |',
        '| --- | --- | --- | --- |',
        '| `PORT` | no | `8080` | HTTP port |',
        '| `DATABASE_URL` | yes |  | Connection \\| string |',
        '',
      ].join('\n'),
    );
  });

  it('documents every base service variable', () => {
    const rows = describeEnv(z.object(baseServiceEnv));
    expect(rows.map((r) => r.name)).toEqual([
      'FIELDWISE_DATA_DIR',
      'LOG_LEVEL',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_SERVICE_NAME',
      'FIELDWISE_PRINCIPAL_KEY',
      'FIELDWISE_GRPC_HOST',
    ]);
    for (const row of rows) {
      expect(row.description, row.name).toBeTruthy();
      expect(row.required, row.name).toBe(false);
    }
    expect(rows.find((r) => r.name === 'FIELDWISE_DATA_DIR')?.default).toBe(
      '.data',
    );
    expect(rows.find((r) => r.name === 'FIELDWISE_PRINCIPAL_KEY')?.secret).toBe(
      true,
    );
  });
});
