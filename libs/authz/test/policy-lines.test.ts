import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@fieldwise/errors';
import {
  DEFAULT_POLICY_PATH,
  formatPolicyLine,
  parsePolicyText,
  validatePolicyRows,
} from '../src/index.js';

function violationsOf(text: string): string[] {
  try {
    parsePolicyText(text, 'test.csv');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).violations.map(
      (v) => `${v.field} ${v.message}`,
    );
  }
  throw new Error('expected the policy to be rejected');
}

describe('parsePolicyText', () => {
  it('parses the shipped policy and round-trips every line', async () => {
    const text = await readFile(DEFAULT_POLICY_PATH, 'utf8');
    const lines = parsePolicyText(text, 'policy.csv');
    expect(lines.length).toBeGreaterThan(50);
    const again = parsePolicyText(lines.map(formatPolicyLine).join('\n'));
    expect(again.map(formatPolicyLine)).toEqual(lines.map(formatPolicyLine));
  });

  it('skips comments and blank lines and keeps source line numbers', () => {
    const lines = parsePolicyText(
      '# header\n\n  p, role:seller, *, /v1/chat, POST, allow  \n',
      'x.csv',
    );
    expect(lines).toEqual([
      {
        kind: 'p',
        subject: 'role:seller',
        domain: '*',
        resource: '/v1/chat',
        action: 'POST',
        effect: 'allow',
        source: 'x.csv:3',
      },
    ]);
  });

  it('accepts an empty policy', () => {
    expect(parsePolicyText('')).toEqual([]);
    expect(parsePolicyText('# nothing yet\n')).toEqual([]);
  });

  it.each([
    ['p, role:superuser, *, /v1/chat, POST, allow', "unknown role 'superuser'"],
    ['p, seller, *, /v1/chat, POST, allow', 'is not a role subject'],
    ['p, role:seller, *, /v1/chat, POST', 'a p line has 5 fields'],
    [
      'p, role:seller, *, /v1/chat, POST, allow, extra',
      'a p line has 5 fields',
    ],
    ['p, role:seller, , /v1/chat, POST, allow', 'empty field'],
    ['p, role:seller, *, /v1/chat, POST, permit', "effect 'permit'"],
    [
      'p, role:seller, *, /v1/chat, FETCH, allow',
      "'FETCH' is not an HTTP method",
    ],
    ['p, role:seller, Lumen!, /v1/chat, POST, allow', "tenant 'Lumen!'"],
    ['p, role:seller, *, /v2/chat, POST, allow', 'must start with /v1/'],
    ['p, role:seller, *, /v1/*/chat, POST, allow', "bad segment '*'"],
    ['p, role:seller, *, /v1/a.b, GET, allow', "bad segment 'a.b'"],
    [
      'p, role:seller, *, tool/drop_tables, invoke, allow',
      "unknown tool 'drop_tables'",
    ],
    [
      'p, role:seller, *, tool/find_accounts, read, allow',
      "action 'read' does not apply to tool/",
    ],
    [
      'p, role:seller, *, doc-class/secret, read, allow',
      "unknown document class 'secret'",
    ],
    [
      'p, role:seller, *, territory/planet, see, allow',
      'unknown territory scope',
    ],
    [
      'p, role:seller, *, impersonate/evaluation, assume, allow',
      'only delegate:<service> subjects may impersonate',
    ],
    [
      'p, delegate:seller, *, tool/*, invoke, allow',
      'only service roles act as delegates',
    ],
    [
      'p, role:seller, *, files/etc, GET, allow',
      "unknown resource 'files/etc'",
    ],
    [
      'p, "role:seller", *, /v1/chat, POST, allow',
      'quoted fields are not supported',
    ],
    ['x, role:seller, *, /v1/chat, POST, allow', "unknown line type 'x'"],
    ['g, role:manager', 'a g line has 2 fields'],
    ['g, role:manager, role:seller, lumen', 'a g line has 2 fields'],
    ['g, role:manager, role:manager', 'cannot inherit from itself'],
    ['g, role:manager, role:boss', "unknown role 'boss'"],
  ])('rejects %s', (line, message) => {
    const violations = violationsOf(`# comment\n${line}`);
    expect(violations.join('\n')).toContain(message);
    expect(violations[0]).toMatch(/^test\.csv:2 /);
  });

  it('rejects duplicates and inheritance cycles, naming every bad line', () => {
    const violations = violationsOf(
      [
        'p, role:seller, *, /v1/chat, POST, allow',
        'p, role:seller, *, /v1/chat, POST, allow',
        'g, role:manager, role:seller',
        'g, role:seller, role:admin',
        'g, role:admin, role:manager',
      ].join('\n'),
    );
    expect(violations).toContain('test.csv:2 duplicate of test.csv:1');
    expect(
      violations.filter((v) => v.includes('role inheritance cycle')),
    ).toHaveLength(3);
  });

  it('puts every violation in the error message', () => {
    expect(() =>
      parsePolicyText(
        'p, role:x, *, /v1/chat, POST, allow\np, role:seller',
        'bad.csv',
      ),
    ).toThrow(
      /bad\.csv:1: unknown role 'x'; bad\.csv:2: a p line has 5 fields/,
    );
  });
});

describe('validatePolicyRows', () => {
  it('validates rows from an adapter like file lines', () => {
    expect(
      validatePolicyRows([
        {
          tokens: ['p', 'role:seller', '*', '/v1/chat', 'POST', 'allow'],
          source: 'db:1',
        },
      ]),
    ).toHaveLength(1);
    expect(() =>
      validatePolicyRows([
        {
          tokens: ['p', 'role:ghost', '*', '/v1/chat', 'POST', 'allow'],
          source: 'db:7',
        },
      ]),
    ).toThrow(/db:7: unknown role 'ghost'/);
  });
});
