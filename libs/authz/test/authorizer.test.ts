import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Helper, type Adapter, type Model } from 'casbin';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FieldwiseError,
  PermissionDeniedError,
  ValidationError,
} from '@fieldwise/errors';
import {
  assertTenantPolicyEdit,
  createAuthorizer,
  DEFAULT_DENY,
  DEFAULT_MODEL_PATH,
  DEFAULT_POLICY_PATH,
  parsePolicyText,
  ROLES,
  ROUTES,
  TOOLS,
  type Authorizer,
  type ReloadEvent,
} from '../src/index.js';
import { as, principal, samplePath, silent, tempDir } from './helpers.js';

const CHAT = 'p, role:seller, *, /v1/chat, POST, allow';
const MODELS = 'p, role:seller, *, /v1/models, GET, allow';

class MemoryAdapter implements Adapter {
  constructor(
    public lines: string[],
    public failure?: Error,
  ) {}
  loadPolicy(model: Model): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    for (const line of this.lines) Helper.loadPolicyLine(line, model);
    return Promise.resolve();
  }
  savePolicy(): Promise<boolean> {
    return Promise.resolve(false);
  }
  addPolicy(): Promise<void> {
    return Promise.resolve();
  }
  removePolicy(): Promise<void> {
    return Promise.resolve();
  }
  removeFilteredPolicy(): Promise<void> {
    return Promise.resolve();
  }
}

function textAuthorizer(csv: string, modelText?: string): Promise<Authorizer> {
  return createAuthorizer({
    policySource: { kind: 'text', csv },
    logger: silent,
    ...(modelText !== undefined ? { modelText } : {}),
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('an empty policy', () => {
  it.each(['', '# no lines yet\n\n'])(
    'denies everything with default-deny (%j)',
    async (csv) => {
      const authz = await textAuthorizer(csv);
      expect(authz.lines).toEqual([]);
      for (const role of ROLES) {
        for (const route of ROUTES) {
          expect(
            authz.canCallRoute(as(role), route.method, samplePath(route.path)),
          ).toMatchObject({
            allowed: false,
            rule: DEFAULT_DENY,
          });
        }
        for (const tool of TOOLS)
          expect(authz.canUseTool(as(role), tool.name).rule).toBe(DEFAULT_DENY);
        expect(authz.canReadAudit(as(role), 'lumen').allowed).toBe(false);
        expect(authz.territoryScope(as(role)).kind).toBe('none');
        expect(authz.visibleDocumentClasses(as(role)).classes).toEqual([]);
      }
      expect(authz.effectivePolicy('lumen')).toEqual([]);
    },
  );
});

describe('ABAC in the matcher', () => {
  it('an ABAC clause cannot allow on an empty policy: every allow names a line', async () => {
    const model = await readFile(DEFAULT_MODEL_PATH, 'utf8');
    const abac = model.replace(
      /^(m = .*)$/m,
      '$1 || (r.ten == r.dom && r.sub == "role:admin")',
    );
    const authz = await textAuthorizer('', abac);
    const decision = authz.canCallRoute(as('admin'), 'PUT', '/v1/policy');
    expect(decision).toMatchObject({ allowed: false, rule: DEFAULT_DENY });
    expect(decision.reason).toContain('without a policy line');
    expect(
      authz.canCallRoute(as('seller'), 'PUT', '/v1/policy').reason,
    ).not.toContain('without a policy line');
  });

  it('an ABAC-only matcher is refused: it would ignore the policy', async () => {
    const model = await readFile(DEFAULT_MODEL_PATH, 'utf8');
    const abacOnly = model.replace(
      /^m = .*$/m,
      'm = r.ten == r.dom && r.sub == "role:admin"',
    );
    for (const csv of ['', CHAT]) {
      const error = await rejection(textAuthorizer(csv, abacOnly));
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      expect((error as Error).message).toContain('ABAC-only matcher');
    }
  });
});

describe('model validation', () => {
  it('rejects model text that is not a Casbin model', async () => {
    const error = await rejection(textAuthorizer(CHAT, 'not a model'));
    expect(error).toBeInstanceOf(FieldwiseError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('rejects a model with another request shape', async () => {
    const model = await readFile(DEFAULT_MODEL_PATH, 'utf8');
    const error = await rejection(
      textAuthorizer(
        CHAT,
        model.replace('r = sub, ten, dom, obj, act', 'r = sub, obj, act'),
      ),
    );
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message).toContain('request_definition');
  });

  it('rejects a bad initial policy with every violation', async () => {
    const error = await rejection(
      textAuthorizer(`${CHAT}\np, role:wizard, *, /v1/chat, POST, allow`),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations).toEqual([
      { field: 'policy:2', message: "unknown role 'wizard'" },
    ]);
  });

  it('rejects a missing policy file clearly', async () => {
    const error = await rejection(
      createAuthorizer({
        policySource: { kind: 'file', path: '/nonexistent/policy.csv' },
        logger: silent,
      }),
    );
    expect(error).toMatchObject({
      code: 'CONFIG_INVALID',
      context: { path: '/nonexistent/policy.csv' },
    });
  });
});

describe('reload', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let path: string;
  let authz: Authorizer;
  const events: ReloadEvent[] = [];

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    path = join(dir, 'policy.csv');
    await writeFile(path, `${CHAT}\n`);
    authz = await createAuthorizer({
      policySource: { kind: 'file', path },
      logger: silent,
    });
    events.length = 0;
    authz.onReload((event) => events.push(event));
  });
  afterEach(async () => {
    authz.close();
    await cleanup();
  });

  it('serves the new policy after a reload', async () => {
    expect(authz.canCallRoute(as('seller'), 'GET', '/v1/models').allowed).toBe(
      false,
    );
    await writeFile(path, `${CHAT}\n${MODELS}\n`);
    await expect(authz.reload()).resolves.toEqual({ version: 2, lines: 2 });
    expect(authz.canCallRoute(as('seller'), 'GET', '/v1/models')).toMatchObject(
      {
        allowed: true,
        rule: MODELS,
        ruleSource: 'policy.csv:2',
      },
    );
    expect(events).toEqual([{ ok: true, version: 2, lines: 2 }]);
  });

  it('keeps the previous policy on a bad reload and reports why', async () => {
    await writeFile(path, `${MODELS}\np, role:seller, *, /v1/chat\n`);
    const error = await rejection(authz.reload());
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations[0]).toMatchObject({
      field: 'policy.csv:2',
    });
    expect(authz.policyVersion).toBe(1);
    expect(authz.canCallRoute(as('seller'), 'POST', '/v1/chat').allowed).toBe(
      true,
    );
    expect(authz.canCallRoute(as('seller'), 'GET', '/v1/models').allowed).toBe(
      false,
    );
    expect(events).toEqual([{ ok: false, version: 1, error }]);
  });

  it('keeps the previous policy when the file disappears', async () => {
    await writeFile(path, '');
    await authz.reload();
    expect(authz.canCallRoute(as('seller'), 'POST', '/v1/chat').allowed).toBe(
      false,
    );
    await cleanup();
    await expect(authz.reload()).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    expect(authz.policyVersion).toBe(2);
  });

  it('answers from the old policy until the new one is swapped in', async () => {
    await writeFile(path, `${MODELS}\n`);
    const pending = authz.reload();
    // The reload is still reading the file: decisions see version 1 whole.
    expect(authz.canCallRoute(as('seller'), 'POST', '/v1/chat').allowed).toBe(
      true,
    );
    expect(authz.canCallRoute(as('seller'), 'GET', '/v1/models').allowed).toBe(
      false,
    );
    await pending;
    expect(authz.canCallRoute(as('seller'), 'POST', '/v1/chat').allowed).toBe(
      false,
    );
    expect(authz.canCallRoute(as('seller'), 'GET', '/v1/models').allowed).toBe(
      true,
    );
  });

  it('runs concurrent reloads one at a time, in call order', async () => {
    const results = await Promise.all([
      authz.reload(),
      authz.reload(),
      authz.reload(),
    ]);
    expect(results.map((r) => r.version)).toEqual([2, 3, 4]);
    expect(authz.policyVersion).toBe(4);
  });

  it('reloads a text source to the same policy', async () => {
    const text = await textAuthorizer(CHAT);
    await expect(text.reload()).resolves.toEqual({ version: 2, lines: 1 });
    expect(() => text.watch()).toThrow(/needs a file policy source/);
  });
});

describe('adapter source', () => {
  it('loads, validates and reloads lines from a Casbin adapter', async () => {
    const adapter = new MemoryAdapter([CHAT, 'g, role:manager, role:seller']);
    const authz = await createAuthorizer({
      policySource: { kind: 'adapter', adapter },
      logger: silent,
    });
    expect(authz.canCallRoute(as('manager'), 'POST', '/v1/chat')).toMatchObject(
      { allowed: true, rule: CHAT },
    );

    adapter.lines = [CHAT, 'p, role:root, *, /v1/chat, POST, allow'];
    await expect(authz.reload()).rejects.toThrow(
      /adapter:p#2: unknown role 'root'/,
    );
    expect(authz.canCallRoute(as('manager'), 'POST', '/v1/chat').allowed).toBe(
      true,
    );

    adapter.failure = new Error('connection refused');
    await expect(authz.reload()).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
    expect(authz.policyVersion).toBe(1);
  });
});

describe('route paths', () => {
  let authz: Authorizer;
  beforeEach(async () => {
    authz = await createAuthorizer({
      policySource: { kind: 'file', path: DEFAULT_POLICY_PATH },
      logger: silent,
    });
  });

  it.each([
    ['GET', '/v1/accounts/acme?include=all', true],
    ['GET', '/v1/accounts/acme/', true],
    ['get', '/v1/accounts/acme', true],
    ['HEAD', '/v1/accounts/acme', true],
    ['TRACE', '/v1/accounts/acme', false],
    ['GET', '/v1/accounts/..', false],
    ['GET', '/v1/accounts/./acme', false],
    ['GET', '/v1//accounts', false],
    ['GET', '/v1/accounts/a%2Fb', false],
    ['GET', '/v1/accounts/a%2e%2e', false],
    ['GET', 'v1/accounts', false],
  ])('%s %s for a seller → %s', (method, path, allowed) => {
    expect(authz.canCallRoute(as('seller'), method, path).allowed).toBe(
      allowed,
    );
  });

  it('explains a decision with every subject evaluation', () => {
    const explanation = authz.explain(
      principal(['seller', 'content-manager']),
      {
        kind: 'route',
        method: 'DELETE',
        path: '/v1/documents/d1',
      },
    );
    expect(explanation.request).toBe('DELETE /v1/documents/d1');
    expect(explanation.policyVersion).toBe(1);
    expect(explanation.evaluations.map((e) => [e.subject, e.effect])).toEqual([
      ['role:seller', 'none'],
      ['role:content-manager', 'allow'],
    ]);
    expect(explanation.decision.rule).toBe(
      'p, role:content-manager, *, /v1/documents/:id, DELETE, allow',
    );
  });
});

describe('tenant-scoped lines', () => {
  it('apply to their tenant only', async () => {
    const authz = await textAuthorizer(
      `${CHAT}\np, role:seller, northstar, /v1/models, GET, allow\n`,
    );
    expect(
      authz.canCallRoute(as('seller', 'northstar'), 'GET', '/v1/models')
        .allowed,
    ).toBe(true);
    expect(
      authz.canCallRoute(as('seller', 'lumen'), 'GET', '/v1/models').allowed,
    ).toBe(false);
    expect(authz.effectivePolicy('lumen')).toEqual([CHAT]);
    expect(authz.effectivePolicy('northstar')).toEqual([
      CHAT,
      'p, role:seller, northstar, /v1/models, GET, allow',
    ]);
  });

  it('an admin edit may change its own tenant lines and nothing else', async () => {
    const current = parsePolicyText(
      await readFile(DEFAULT_POLICY_PATH, 'utf8'),
    );
    const own = parsePolicyText(
      'p, role:seller, lumen, /v1/evals/runs, GET, allow',
    );
    expect(() =>
      assertTenantPolicyEdit(current, [...current, ...own], 'lumen'),
    ).not.toThrow();
    expect(() =>
      assertTenantPolicyEdit([...current, ...own], current, 'lumen'),
    ).not.toThrow();

    const other = parsePolicyText(
      'p, role:seller, northstar, /v1/evals/runs, GET, allow',
    );
    expect(() =>
      assertTenantPolicyEdit(current, [...current, ...other], 'lumen'),
    ).toThrow(PermissionDeniedError);
    const withoutAuditDeny = current.filter(
      (l) =>
        !(l.kind === 'p' && l.resource === 'audit/*' && l.effect === 'deny'),
    );
    expect(() =>
      assertTenantPolicyEdit(current, withoutAuditDeny, 'lumen'),
    ).toThrow(/removes 'p, \*, \*, audit\/\*, write, deny'/);
    const promoted = [
      ...current,
      ...parsePolicyText('g, role:seller, role:admin'),
    ];
    expect(() => assertTenantPolicyEdit(current, promoted, 'lumen')).toThrow(
      /adds 'g, role:seller, role:admin'/,
    );
  });
});
