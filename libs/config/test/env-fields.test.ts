import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  bool,
  csv,
  dataDir,
  duration,
  host,
  int,
  logLevel,
  oneOf,
  optionalSecret,
  optionalUrl,
  parseDuration,
  port,
  secret,
  text,
  url,
} from '../src/index.js';

function messages(field: z.ZodType, value: string | undefined): string[] {
  const result = field.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe('env fields', () => {
  it('port parses integers in range and keeps its default', () => {
    expect(port(8080).parse(undefined)).toBe(8080);
    expect(port().parse(' 0 ')).toBe(0);
    expect(port().parse('65535')).toBe(65535);
    for (const bad of ['65536', '-1', '80.5', 'http', '1e3']) {
      expect(messages(port(), bad)).toEqual([
        'must be an integer port between 0 and 65535',
      ]);
    }
    expect(port().safeParse(undefined).success).toBe(false);
  });

  it('int enforces its bounds', () => {
    const field = int(1, 10, 5);
    expect(field.parse(undefined)).toBe(5);
    expect(field.parse('10')).toBe(10);
    expect(messages(field, '11')).toEqual([
      'must be an integer between 1 and 10',
    ]);
  });

  it('bool accepts true/false/1/0/yes/no in any case', () => {
    const field = bool(false);
    expect(field.parse(undefined)).toBe(false);
    expect(bool(true).parse(undefined)).toBe(true);
    for (const word of ['true', 'TRUE', '1', 'yes', 'Yes']) {
      expect(field.parse(word)).toBe(true);
    }
    for (const word of ['false', '0', 'no', 'NO']) {
      expect(bool(true).parse(word)).toBe(false);
    }
    expect(messages(field, 'on')).toEqual([
      'must be one of true, false, 1, 0, yes, no',
    ]);
  });

  it('csv splits, trims and drops empty items', () => {
    expect(csv().parse(undefined)).toEqual([]);
    expect(csv(['a', 'b']).parse(undefined)).toEqual(['a', 'b']);
    expect(csv().parse(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
  });

  it('duration reads units into milliseconds and checks bounds', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('1500')).toBe(1500);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('-5s')).toBeUndefined();
    const field = duration('30s', { min: '1s', max: '5m' });
    expect(field.parse(undefined)).toBe(30_000);
    expect(field.parse('2m')).toBe(120_000);
    expect(messages(field, '10m')).toEqual([
      'must be a duration such as 500ms, 30s, 5m or 1h between 1000ms and 300000ms',
    ]);
  });

  it('url checks absolute URLs and schemes and keeps the text as written', () => {
    const field = url({ protocols: ['http:', 'https:'] });
    expect(field.parse('http://collector:4318')).toBe('http://collector:4318');
    expect(messages(field, 'collector:4318')).toEqual([
      'must be an absolute URL using http or https',
    ]);
    expect(messages(field, 'ftp://x')).toHaveLength(1);
    expect(messages(url(), 'relative/path')).toEqual([
      'must be an absolute URL',
    ]);
    expect(optionalUrl().parse(undefined)).toBeUndefined();
  });

  it('logLevel and oneOf accept only listed words', () => {
    expect(logLevel().parse(undefined)).toBe('info');
    expect(logLevel('warn').parse(undefined)).toBe('warn');
    expect(logLevel().parse('silent')).toBe('silent');
    const mode = oneOf(['block', 'redact', 'flag'], 'flag');
    expect(mode.parse(undefined)).toBe('flag');
    expect(mode.parse('block')).toBe('block');
    expect(messages(mode, 'Block')).toEqual([
      'must be one of block, redact, flag',
    ]);
    expect(oneOf(['a', 'b']).safeParse(undefined).success).toBe(false);
  });

  it('secret validates base64 and size without echoing the value', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const field = secret({ base64: true, minBytes: 32 });
    expect(field.parse(key)).toBe(key);
    const short = Buffer.alloc(8, 7).toString('base64');
    const [message] = messages(field, short);
    expect(message).toBe('must be a base64 secret encoding at least 32 bytes');
    expect(message).not.toContain(short);
    expect(messages(field, 'not*base64!')).toHaveLength(1);
    expect(optionalSecret().parse(undefined)).toBeUndefined();
  });

  it('dataDir resolves to an absolute path, .data by default', () => {
    expect(dataDir().parse(undefined)).toBe(join(process.cwd(), '.data'));
    expect(isAbsolute(dataDir().parse('state'))).toBe(true);
    expect(dataDir().parse('/var/lib/fieldwise')).toBe('/var/lib/fieldwise');
  });

  it('host accepts names and IPs but not URLs', () => {
    expect(host('127.0.0.1').parse(undefined)).toBe('127.0.0.1');
    expect(host().parse('0.0.0.0')).toBe('0.0.0.0');
    expect(host().parse('::')).toBe('::');
    expect(host().parse('agent-service.fieldwise.svc')).toBe(
      'agent-service.fieldwise.svc',
    );
    expect(messages(host(), 'http://x')).toHaveLength(1);
    expect(messages(host(), 'x:50051')).toHaveLength(1);
  });

  it('text requires a non-empty string', () => {
    expect(text('fallback').parse(undefined)).toBe('fallback');
    expect(messages(text(), '   ')).toEqual(['must be a non-empty string']);
  });
});
