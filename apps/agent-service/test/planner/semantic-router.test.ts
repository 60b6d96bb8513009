import { describe, expect, it } from 'vitest';
import {
  cosine,
  createHashedEmbedder,
  createSemanticRouter,
  ruleIntent,
  splitClauses,
  type SemanticRouter,
} from '../../src/domain/planner/index.js';
import { createToolRegistry } from '../../src/domain/tools/registry.js';

const tools = [...createToolRegistry().values()];
const router: SemanticRouter = createSemanticRouter({
  tools,
  examples: Object.fromEntries(tools.map((t) => [t.name, t.examples])),
});

async function names(message: string): Promise<string[]> {
  return (await router.route(message)).map((r) => r.name);
}

// Phrasings that appear in no tool's examples: the router has to generalise.
const PHRASINGS: Record<string, readonly string[]> = {
  find_accounts: [
    'look up the customer record for northwind',
    'which accounts do I own',
  ],
  account_360: [
    'give me the full picture of this account',
    'brief me on Wayne Retail Group',
  ],
  product_consumption: [
    'how has their spend been trending month over month',
    'usage numbers for the last quarter',
  ],
  support_cases: [
    'any open tickets or sev1 escalations at Initech?',
    'show the support cases for Umbrella',
  ],
  similar_customers: [
    'which lookalike customers could serve as references',
    'peers similar to Kangaroo Mutual',
  ],
  hygiene_alerts: [
    'which deals are past their close date',
    'use cases missing an executive sponsor in my territory',
  ],
  search_collateral: [
    'battlecard against Snowflake for streaming',
    'what is the list price of a credit on Enterprise edition?',
  ],
  summarize_meeting: [
    'summarize these call notes: we agreed to a pilot and Sam will send data',
  ],
  update_crm_field: [
    'move the Acme renewal to Negotiation',
    'push the close date to end of March',
  ],
  draft_email: ['draft a follow-up email to the CTO about pricing'],
  create_proposal: ['put together a proposal for Stark Logistics'],
};

describe('semantic router', () => {
  for (const [tool, phrasings] of Object.entries(PHRASINGS)) {
    for (const phrasing of phrasings) {
      it(`routes "${phrasing}" to ${tool}`, async () => {
        expect(await names(phrasing)).toContain(tool);
      });
    }
  }

  it('splits multi-intent requests into one tool per clause', async () => {
    expect(await names('360 and hygiene for Acme')).toEqual([
      'account_360',
      'hygiene_alerts',
    ]);
    expect(await names('consumption and support cases for Contoso')).toEqual([
      'product_consumption',
      'support_cases',
    ]);
    expect(
      splitClauses('support cases, consumption and similar customers'),
    ).toEqual(['support cases', 'consumption', 'similar customers']);
  });

  it('decides write intents by rule, before similarity', () => {
    expect(
      ruleIntent(
        'Move the Acme Lakehouse expansion opportunity to Negotiation',
      ),
    ).toBe('update_crm_field');
    expect(ruleIntent('set the amount to $250k')).toBe('update_crm_field');
    expect(ruleIntent('change the close date to 2027-01-15')).toBe(
      'update_crm_field',
    );
    expect(ruleIntent('Write an email to Yara Singh about the renewal')).toBe(
      'draft_email',
    );
    expect(ruleIntent('Draft a proposal for Helix Genomics')).toBe(
      'create_proposal',
    );
    // "to Proposal" is a stage, not a document.
    expect(ruleIntent('Move the Globex deal to Proposal')).toBe(
      'update_crm_field',
    );
    expect(
      ruleIntent(
        'Recap this meeting: we agreed to move the deal to Negotiation',
      ),
    ).toBe('summarize_meeting');
    expect(
      ruleIntent('what should I know before my call with Acme'),
    ).toBeUndefined();
  });

  it('only returns offered tools and falls back to the collateral for unmatched questions', async () => {
    const onlyTwo = createSemanticRouter({
      tools: tools.filter(
        (t) => t.name === 'search_collateral' || t.name === 'support_cases',
      ),
    });
    expect(
      (await onlyTwo.route('Move the Acme renewal to Negotiation')).map(
        (r) => r.name,
      ),
    ).not.toContain('update_crm_field');
    expect(
      (await onlyTwo.route('What is our FedRAMP status?')).map((r) => r.name),
    ).toEqual(['search_collateral']);
  });
});

describe('hashed embedder', () => {
  const embedder = createHashedEmbedder({
    idfCorpus: ['open support cases', 'consumption trend', 'support tickets'],
  });

  it('is deterministic and normalised', async () => {
    const [a, b] = await embedder.embed([
      'open support cases',
      'open support cases',
    ]);
    expect(a).toEqual(b);
    expect(cosine(a!, b!)).toBeCloseTo(1, 6);
  });

  it('tolerates typos through character trigrams and ignores words it never saw', async () => {
    const [clean, typo, other, unseen] = await embedder.embed([
      'support cases',
      'suport casess',
      'consumption trend',
      'zzqx wvvk',
    ]);
    expect(cosine(clean!, typo!)).toBeGreaterThan(0.4);
    expect(cosine(clean!, typo!)).toBeGreaterThan(cosine(clean!, other!));
    expect([...unseen!].every((x) => x === 0)).toBe(true);
  });

  it('rejects a nonsensical dimension', () => {
    expect(() => createHashedEmbedder({ dimensions: 3 })).toThrow(RangeError);
  });
});
