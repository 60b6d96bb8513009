import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createAuthorizer,
  DEFAULT_DENY,
  DEFAULT_POLICY_PATH,
  DOCUMENT_CLASSES,
  ROLES,
  ROUTES,
  TOOLS,
  type Authorizer,
  type DocumentClass,
  type Role,
  type TerritoryScope,
} from '../src/index.js';
import {
  as,
  OWN_TERRITORIES,
  principal,
  samplePath,
  silent,
} from './helpers.js';

const TENANTS = ['lumen', 'northstar'] as const;

let authz: Authorizer;
beforeAll(async () => {
  authz = await createAuthorizer({
    policySource: { kind: 'file', path: DEFAULT_POLICY_PATH },
    logger: silent,
  });
});

describe('role × route (the ROUTES table against the shipped policy)', () => {
  const cases = ROUTES.flatMap((route) =>
    ROLES.flatMap((role) =>
      TENANTS.map((tenant) => ({
        route,
        role,
        tenant,
        allowed: route.roles.includes(role),
      })),
    ),
  );

  it.each(cases)(
    '$role of $tenant: $route.method $route.path → $allowed',
    ({ route, role, tenant, allowed }) => {
      const decision = authz.canCallRoute(
        as(role, tenant),
        route.method,
        samplePath(route.path),
      );
      expect(decision.allowed).toBe(allowed);
      if (allowed) {
        expect(decision.rule).toMatch(/^p, role:/);
        expect(decision.ruleSource).toMatch(/^policy\.csv:\d+$/);
      } else {
        expect(
          decision.rule === DEFAULT_DENY || decision.rule.endsWith(', deny'),
        ).toBe(true);
      }
    },
  );

  const crossTenant = ROUTES.flatMap((route) =>
    ROLES.map((role) => ({ route, role })),
  );
  it.each(crossTenant)(
    '$role of lumen never reaches northstar: $route.method $route.path',
    ({ route, role }) => {
      const decision = authz.canCallRoute(
        as(role, 'lumen'),
        route.method,
        samplePath(route.path),
        {
          tenant: 'northstar',
        },
      );
      expect(decision).toMatchObject({ allowed: false, rule: DEFAULT_DENY });
      expect(decision.reason).toContain('tenant isolation');
    },
  );

  it('denies methods and routes the table does not list, for every role', () => {
    const unlisted: [string, string][] = [
      ['DELETE', '/v1/chat'],
      ['GET', '/v1/chat'],
      ['PATCH', '/v1/policy'],
      ['DELETE', '/v1/policy'],
      ['GET', '/v1/internal/debug'],
      ['PUT', '/v1/accounts/id-123'],
      ['GET', '/v1/accounts/id-123/opportunities/x'],
    ];
    for (const role of ROLES) {
      for (const [method, path] of unlisted) {
        expect(
          authz.canCallRoute(as(role), method, path).allowed,
          `${role} ${method} ${path}`,
        ).toBe(false);
      }
    }
  });

  // Written out by hand, independent of ROUTES, so a wrong table cannot
  // silently agree with a wrong policy.
  it.each([
    ['seller', 'POST', '/v1/chat', true],
    ['seller', 'GET', '/v1/accounts/acme', true],
    ['seller', 'PUT', '/v1/policy', false],
    ['seller', 'GET', '/v1/audit/events', false],
    ['seller', 'POST', '/v1/documents', false],
    ['manager', 'GET', '/v1/accounts/acme/similar', true],
    ['manager', 'GET', '/v1/policy', false],
    ['admin', 'PUT', '/v1/policy', true],
    ['admin', 'GET', '/v1/evals/runs/r1', true],
    ['admin', 'GET', '/v1/audit/events', false],
    ['admin', 'DELETE', '/v1/audit/events', false],
    ['admin', 'DELETE', '/v1/documents/d1', false],
    ['auditor', 'GET', '/v1/audit/events', true],
    ['auditor', 'GET', '/v1/policy', true],
    ['auditor', 'PUT', '/v1/policy', false],
    ['auditor', 'GET', '/v1/accounts/acme', false],
    ['auditor', 'GET', '/v1/collateral/search', false],
    ['auditor', 'POST', '/v1/chat', false],
    ['content-manager', 'POST', '/v1/documents', true],
    ['content-manager', 'DELETE', '/v1/documents/d1', true],
    ['content-manager', 'GET', '/v1/accounts', false],
    ['partner', 'GET', '/v1/collateral/search', true],
    ['partner', 'GET', '/v1/accounts', false],
    ['partner', 'POST', '/v1/chat', false],
    ['service:agent', 'POST', '/v1/chat', false],
    ['service:agent', 'GET', '/v1/whoami', false],
    ['service:agent', 'POST', '/v1/whoami', false],
    ['auditor', 'POST', '/v1/whoami', true],
    ['partner', 'POST', '/v1/whoami', true],
    ['service:eval', 'POST', '/v1/whoami', true],
    ['service:eval', 'POST', '/v1/evals/runs', true],
    ['service:eval', 'POST', '/v1/chat', false],
    ['service:eval', 'PUT', '/v1/policy', false],
  ] as const)('%s %s %s → %s', (role, method, path, allowed) => {
    expect(authz.canCallRoute(as(role), method, path).allowed).toBe(allowed);
  });

  it('names the deny line when a hard deny decides', () => {
    const decision = authz.canCallRoute(
      as('auditor'),
      'GET',
      '/v1/accounts/acme',
    );
    expect(decision).toMatchObject({
      allowed: false,
      rule: 'p, role:auditor, *, /v1/accounts/*, *, deny',
    });
    expect(decision.ruleSource).toMatch(/^policy\.csv:\d+$/);
  });
});

describe('role × tool', () => {
  const ASSISTANT: readonly Role[] = ['seller', 'manager', 'admin'];
  const expected = (role: Role, tool: string): boolean =>
    ASSISTANT.includes(role) ||
    ((role === 'content-manager' || role === 'partner') &&
      tool === 'search_collateral');

  const cases = TOOLS.flatMap((tool) =>
    ROLES.map((role) => ({ role, tool, allowed: expected(role, tool.name) })),
  );
  it.each(cases)('$role → $tool.name: $allowed', ({ role, tool, allowed }) => {
    expect(authz.canUseTool(as(role), tool.name).allowed).toBe(allowed);
  });

  it('keeps the governance invariants for every role and tool', () => {
    for (const role of ROLES) {
      for (const tool of TOOLS) {
        const allowed = authz.canUseTool(as(role), tool.name).allowed;
        if (tool.writes && allowed) expect(ASSISTANT).toContain(role);
        if ((role === 'auditor' || role === 'content-manager') && allowed) {
          expect(tool.customerData).toBe(false);
        }
      }
    }
  });

  it('denies unknown tools with a reason', () => {
    const decision = authz.canUseTool(as('admin'), 'drop_tables');
    expect(decision).toMatchObject({ allowed: false, rule: DEFAULT_DENY });
    expect(decision.reason).toContain("unknown tool 'drop_tables'");
  });
});

describe('audit streams', () => {
  it.each(ROLES.flatMap((role) => TENANTS.map((tenant) => ({ role, tenant }))))(
    '$role of $tenant reads its own audit only if auditor; never the other tenant',
    ({ role, tenant }) => {
      const other = tenant === 'lumen' ? 'northstar' : 'lumen';
      expect(authz.canReadAudit(as(role, tenant), tenant).allowed).toBe(
        role === 'auditor',
      );
      expect(authz.canReadAudit(as(role, tenant), other).allowed).toBe(false);
    },
  );

  it.each(
    ROLES.flatMap((role) =>
      (['write', 'delete'] as const).map((action) => ({ role, action })),
    ),
  )('nobody can $action audit data: $role', ({ role, action }) => {
    const decision = authz.decide(as(role), {
      kind: 'audit',
      tenant: 'lumen',
      action,
    });
    expect(decision).toMatchObject({
      allowed: false,
      rule: `p, *, *, audit/*, ${action}, deny`,
    });
  });

  it('keeps audit append-only even when a policy grants admins everything', async () => {
    const base = await readFile(DEFAULT_POLICY_PATH, 'utf8');
    const generous = await createAuthorizer({
      policySource: {
        kind: 'text',
        csv: `${base}\np, role:admin, *, audit/*, *, allow\np, role:admin, *, /v1/*, *, allow\n`,
      },
      logger: silent,
    });
    expect(generous.canReadAudit(as('admin'), 'lumen').allowed).toBe(true);
    expect(
      generous.decide(as('admin'), {
        kind: 'audit',
        tenant: 'lumen',
        action: 'delete',
      }).allowed,
    ).toBe(false);
    expect(
      generous.canCallRoute(as('admin'), 'DELETE', '/v1/audit/events').rule,
    ).toBe('p, *, *, /v1/audit/*, DELETE, deny');
    expect(
      generous.canCallRoute(as('admin'), 'GET', '/v1/audit/events').allowed,
    ).toBe(true);
  });
});

describe('territory scope per role', () => {
  const expected: Record<Role, TerritoryScope['kind']> = {
    seller: 'territories',
    manager: 'territories',
    admin: 'all',
    auditor: 'none',
    'content-manager': 'none',
    partner: 'none',
    'service:agent': 'none',
    'service:eval': 'none',
  };
  it.each(ROLES)('%s', (role) => {
    const scope = authz.territoryScope(as(role));
    expect(scope.kind).toBe(expected[role]);
    if (scope.kind === 'territories')
      expect(scope.territories).toEqual([...OWN_TERRITORIES].sort());
    expect(scope.decision.allowed).toBe(scope.kind !== 'none');
  });

  it("names each role's rule", () => {
    expect(authz.territoryScope(as('seller')).decision.rule).toBe(
      'p, role:seller, *, territory/own, see, allow',
    );
    expect(authz.territoryScope(as('manager')).decision.rule).toBe(
      'p, role:manager, *, territory/team, see, allow',
    );
    expect(authz.territoryScope(as('admin')).decision.rule).toBe(
      'p, role:admin, *, territory/all, see, allow',
    );
    expect(authz.territoryScope(as('auditor')).decision.rule).toBe(
      'p, role:auditor, *, territory/*, see, deny',
    );
    expect(authz.territoryScope(as('content-manager')).decision.rule).toBe(
      DEFAULT_DENY,
    );
  });

  it("resolves a manager's team through the directory, but not a seller's", () => {
    const directory = {
      teamTerritories: () => ['emea-uki', 'emea-dach', 'emea-uki'],
    };
    expect(authz.territoryScope(as('manager'), directory)).toMatchObject({
      kind: 'territories',
      territories: ['emea-dach', 'emea-uki'],
    });
    expect(authz.territoryScope(as('seller'), directory)).toMatchObject({
      kind: 'territories',
      territories: [...OWN_TERRITORIES].sort(),
    });
  });

  it('gives a seller without territories nothing', () => {
    const scope = authz.territoryScope(
      principal(['seller'], { territories: [] }),
    );
    expect(scope.kind).toBe('none');
    expect(scope.decision.reason).toContain('no territories');
  });
});

describe('document classes per role', () => {
  const expected: Record<Role, readonly DocumentClass[]> = {
    seller: ['public', 'internal', 'partner'],
    manager: ['public', 'internal', 'confidential', 'partner'],
    admin: ['public', 'internal', 'confidential', 'partner'],
    auditor: [],
    'content-manager': ['public', 'internal', 'partner'],
    partner: ['public', 'partner'],
    'service:agent': [],
    'service:eval': [],
  };
  it.each(ROLES)('%s', (role) => {
    const result = authz.visibleDocumentClasses(as(role));
    expect(result.classes).toEqual(expected[role]);
    for (const documentClass of DOCUMENT_CLASSES) {
      expect(result.decisions[documentClass].allowed).toBe(
        expected[role].includes(documentClass),
      );
    }
  });
});

describe('service identities', () => {
  const agent = {
    id: 'agent-1',
    role: 'service:agent',
    purpose: 'on-behalf',
  } as const;
  const evaluation = {
    id: 'eval-1',
    role: 'service:eval',
    purpose: 'evaluation',
  } as const;

  it('the agent never has more than the user: intersection per role × tool', () => {
    for (const role of ROLES.filter((r) => !r.startsWith('service:'))) {
      for (const tool of TOOLS) {
        const alone = authz.canUseTool(as(role), tool.name);
        const viaAgent = authz.canUseTool(
          principal([role], { actor: agent }),
          tool.name,
        );
        expect(viaAgent.allowed, `${role} ${tool.name}`).toBe(alone.allowed);
        expect(viaAgent.actor).toBe('service:agent:agent-1');
        expect(viaAgent.impersonated).toBe(false);
        if (viaAgent.allowed)
          expect(viaAgent.actorRule).toBe(
            'p, delegate:service:agent, *, tool/*, invoke, allow',
          );
      }
    }
  });

  it("the agent cannot use a user's rights beyond its mandate (routes)", () => {
    const admin = principal(['admin'], { actor: agent });
    expect(authz.canCallRoute(as('admin'), 'PUT', '/v1/policy').allowed).toBe(
      true,
    );
    const decision = authz.canCallRoute(admin, 'PUT', '/v1/policy');
    expect(decision).toMatchObject({ allowed: false, rule: DEFAULT_DENY });
    expect(decision.reason).toContain('intersected');
  });

  it("the agent's scopes are the user's scopes", () => {
    expect(
      authz.territoryScope(principal(['seller'], { actor: agent })),
    ).toMatchObject({
      kind: 'territories',
      territories: [...OWN_TERRITORIES].sort(),
    });
    expect(
      authz.territoryScope(principal(['auditor'], { actor: agent })).kind,
    ).toBe('none');
    expect(
      authz.visibleDocumentClasses(principal(['partner'], { actor: agent }))
        .classes,
    ).toEqual(['public', 'partner']);
  });

  it('the agent alone can do nothing', () => {
    for (const tool of TOOLS)
      expect(authz.canUseTool(as('service:agent'), tool.name).allowed).toBe(
        false,
      );
  });

  it('the agent cannot claim the evaluation purpose', () => {
    const decision = authz.canUseTool(
      principal(['seller'], { actor: { ...agent, purpose: 'evaluation' } }),
      'account_360',
    );
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toContain('service:agent may not act for');
  });

  it('evaluation impersonation is allowed within the user rights and flagged', () => {
    const seller = principal(['seller'], { actor: evaluation });
    const chat = authz.canCallRoute(seller, 'POST', '/v1/chat');
    expect(chat).toMatchObject({
      allowed: true,
      impersonated: true,
      actor: 'service:eval:eval-1',
      rule: 'p, role:seller, *, /v1/chat, POST, allow',
      actorRule: 'p, delegate:service:eval, *, /v1/chat, POST, allow',
    });
    expect(authz.canUseTool(seller, 'update_crm_field')).toMatchObject({
      allowed: true,
      impersonated: true,
    });
    expect(authz.territoryScope(seller).decision.impersonated).toBe(true);
    // Never more than the impersonated user, never beyond the eval mandate.
    expect(
      authz.canCallRoute(
        principal(['auditor'], { actor: evaluation }),
        'POST',
        '/v1/chat',
      ),
    ).toMatchObject({
      allowed: false,
      impersonated: true,
    });
    expect(
      authz.canCallRoute(
        principal(['admin'], { actor: evaluation }),
        'PUT',
        '/v1/policy',
      ),
    ).toMatchObject({
      allowed: false,
      impersonated: true,
    });
    expect(
      authz.canCallRoute(seller, 'POST', '/v1/actions/a1/confirm').allowed,
    ).toBe(false);
  });

  it('the evaluation identity may impersonate for evaluation runs only', () => {
    const decision = authz.canCallRoute(
      principal(['seller'], { actor: { ...evaluation, purpose: 'on-behalf' } }),
      'POST',
      '/v1/chat',
    );
    expect(decision).toMatchObject({
      allowed: false,
      impersonated: true,
      rule: DEFAULT_DENY,
    });
    expect(decision.reason).toContain("purpose 'on-behalf'");
  });

  it('a service identity cannot act for another service identity', () => {
    const decision = authz.canCallRoute(
      principal(['service:eval'], { actor: agent }),
      'POST',
      '/v1/evals/runs',
    );
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toContain('cannot act for another service');
  });
});

describe('principals with several or unknown roles', () => {
  it('segregation of duties: an auditor role removes customer data from any other role', () => {
    const both = principal(['seller', 'auditor']);
    expect(authz.canCallRoute(both, 'GET', '/v1/accounts/acme').allowed).toBe(
      false,
    );
    expect(authz.canCallRoute(both, 'GET', '/v1/audit/events').allowed).toBe(
      true,
    );
    expect(authz.territoryScope(both).kind).toBe('none');
  });

  it('ignores unknown roles and denies when none is known', () => {
    expect(
      authz.canCallRoute(principal(['superuser', 'seller']), 'POST', '/v1/chat')
        .allowed,
    ).toBe(true);
    const decision = authz.canCallRoute(
      principal(['superuser']),
      'POST',
      '/v1/chat',
    );
    expect(decision).toMatchObject({ allowed: false, rule: DEFAULT_DENY });
    expect(decision.reason).toContain('no known role');
  });

  it('fails closed on a malformed principal', () => {
    const decision = authz.canCallRoute(
      { userId: 'u', roles: ['admin'] } as never,
      'GET',
      '/v1/policy',
    );
    expect(decision).toMatchObject({ allowed: false, rule: DEFAULT_DENY });
    expect(decision.reason).toContain('invalid principal');
    expect(authz.territoryScope(null as never).kind).toBe('none');
  });
});
