import { z } from 'zod';
import type {
  Rule,
  RuleCheckResult,
  RuleContext,
  RuleDeps,
  RuleFactory,
} from '../types.js';

/** Options of the `classifier` rule. */
export const classifierOptionsSchema = z
  .object({
    /** `openai-moderation` posts to `{baseUrl}/moderations`; `generic` posts `{ text, stage }` to `baseUrl` itself. */
    protocol: z
      .enum(['openai-moderation', 'generic'])
      .default('openai-moderation'),
    baseUrl: z.url({ protocol: /^https?$/ }),
    model: z.string().min(1).optional(),
    apiKey: z.string().min(1).optional(),
    /** Score at or above which a category (or the generic score) triggers. */
    threshold: z.number().min(0).max(1).default(0.5),
    /** Only these categories count; all when absent. */
    categories: z.array(z.string().min(1)).optional(),
    timeoutMs: z.number().int().positive().max(60_000).default(2_000),
  })
  .strict();
/** Validated options of the `classifier` rule. */
export type ClassifierOptions = z.infer<typeof classifierOptionsSchema>;

const moderationResponse = z.object({
  results: z
    .array(
      z.object({
        flagged: z.boolean(),
        categories: z.record(z.string(), z.boolean().nullable()).default({}),
        category_scores: z.record(z.string(), z.number()).default({}),
      }),
    )
    .min(1),
});
const genericResponse = z
  .object({
    flagged: z.boolean().optional(),
    score: z.number().min(0).max(1).optional(),
    label: z.string().optional(),
    categories: z.record(z.string(), z.number()).optional(),
  })
  .refine(
    (r) =>
      r.flagged !== undefined ||
      r.score !== undefined ||
      r.categories !== undefined,
    'no verdict in response',
  );

/**
 * An external model-based classifier: an OpenAI-compatible moderation
 * endpoint or a generic classifier URL. Failures (network, HTTP status,
 * malformed body, timeout) throw, and the runner turns them into an error
 * verdict under the rule's fail mode. Added only by configuration.
 */
export class ClassifierRule implements Rule {
  readonly kind = 'classifier' as const;
  readonly redactable = false;
  private readonly url: string;

  constructor(
    readonly id: string,
    private readonly options: ClassifierOptions,
    private readonly fetchImpl: typeof globalThis.fetch,
  ) {
    const base = options.baseUrl.replace(/\/+$/, '');
    this.url =
      options.protocol === 'openai-moderation' ? `${base}/moderations` : base;
  }

  async check(text: string, ctx: RuleContext): Promise<RuleCheckResult> {
    const body =
      this.options.protocol === 'openai-moderation'
        ? {
            input: text,
            ...(this.options.model ? { model: this.options.model } : {}),
          }
        : { text, stage: ctx.stage };
    const res = await this.fetchImpl(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.options.apiKey
          ? { authorization: `Bearer ${this.options.apiKey}` }
          : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.any([
        ctx.signal,
        AbortSignal.timeout(this.options.timeoutMs),
      ]),
    });
    if (!res.ok) throw new Error(`classifier returned HTTP ${res.status}`);
    const json: unknown = await res.json();
    return this.options.protocol === 'openai-moderation'
      ? this.fromModeration(json)
      : this.fromGeneric(json);
  }

  private counted(name: string): boolean {
    return (
      this.options.categories === undefined ||
      this.options.categories.includes(name)
    );
  }

  private fromModeration(json: unknown): RuleCheckResult {
    const parsed = moderationResponse.safeParse(json);
    if (!parsed.success)
      throw new Error('classifier response is not a moderation result');
    const hits = new Map<string, number>();
    for (const r of parsed.data.results) {
      for (const [name, score] of Object.entries(r.category_scores)) {
        if (
          this.counted(name) &&
          (score >= this.options.threshold || r.categories[name] === true)
        ) {
          hits.set(name, Math.max(score, hits.get(name) ?? 0));
        }
      }
      if (r.flagged && this.options.categories === undefined && hits.size === 0)
        hits.set('flagged', 1);
    }
    const score = Math.max(
      0,
      ...parsed.data.results.flatMap((r) =>
        Object.entries(r.category_scores)
          .filter(([n]) => this.counted(n))
          .map(([, s]) => s),
      ),
    );
    if (hits.size === 0) return { triggered: false, findings: [], score };
    return {
      triggered: true,
      findings: [],
      score,
      reason: `classifier flagged: ${[...hits.keys()].sort().join(', ')}`,
    };
  }

  private fromGeneric(json: unknown): RuleCheckResult {
    const parsed = genericResponse.safeParse(json);
    if (!parsed.success) throw new Error('classifier response has no verdict');
    const r = parsed.data;
    const categoryHits = Object.entries(r.categories ?? {}).filter(
      ([n, s]) => this.counted(n) && s >= this.options.threshold,
    );
    const score = r.score ?? Math.max(0, ...Object.values(r.categories ?? {}));
    const triggered =
      r.flagged ??
      (r.score !== undefined
        ? r.score >= this.options.threshold
        : categoryHits.length > 0);
    if (!triggered) return { triggered, findings: [], score };
    const label =
      r.label ?? (categoryHits.map(([n]) => n).join(', ') || 'flagged');
    return {
      triggered,
      findings: [],
      score,
      reason: `classifier flagged: ${label}`,
    };
  }
}

/** Factory of the `classifier` rule. */
export const classifierRuleFactory: RuleFactory<ClassifierOptions> = {
  kind: 'classifier',
  parseOptions: (options) => classifierOptionsSchema.parse(options),
  create: (id, options, deps: RuleDeps) =>
    new ClassifierRule(id, options, deps.fetch),
};
