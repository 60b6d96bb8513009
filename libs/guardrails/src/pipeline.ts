import { pino, type Logger } from 'pino';
import { ZodError } from 'zod';
import {
  parseGuardrailConfig,
  type GuardrailConfig,
  type RuleSettings,
} from './config.js';
import {
  GuardrailConfigError,
  GuardrailInputError,
  type GuardrailConfigViolation,
} from './errors.js';
import { applyEdits, findingsToEdits, placeholder } from './redaction.js';
import { BUILT_IN_RULES } from './registry.js';
import { runRule } from './runner.js';
import {
  GUARDRAIL_STAGES,
  type Finding,
  type GuardrailHit,
  type GuardrailResult,
  type GuardrailStage,
  type Rule,
  type RuleDeps,
  type RuleFactory,
  type Verdict,
} from './types.js';

/** Services and extensions for a pipeline. */
export interface GuardrailPipelineDeps {
  /** Where rule failures are logged; silent by default. */
  readonly logger?: Logger;
  /** The fetch used by the classifier rule; the global one by default. */
  readonly fetch?: typeof globalThis.fetch;
  /** Extra rule factories by name, usable in configuration next to the built-in ones. */
  readonly rules?: Readonly<Record<string, RuleFactory<unknown>>>;
}

/** Per-call options of {@link GuardrailPipeline.check}. */
export interface CheckOptions {
  /** Selects the route's overrides, when the configuration has some. */
  readonly route?: string;
  readonly systemPrompt?: string;
  readonly canary?: string;
  readonly signal?: AbortSignal;
  /** Treat errors of block-mode rules as blocks whatever their fail mode (used by streams). */
  readonly failClosedOnBlockingErrors?: boolean;
}

/** A rule with its settings on one stage. */
export interface RuleBinding {
  readonly rule: Rule;
  readonly settings: RuleSettings;
}

type StagePlan = Readonly<Record<GuardrailStage, readonly RuleBinding[]>>;

/**
 * The guardrail pipeline: rules per stage (and per route), built and
 * precompiled once from a validated configuration. `check` runs every active
 * rule of the stage, keeps each verdict apart from its mode, and combines them
 * into an action: `block` if a block-mode rule triggered (or a redact-mode rule
 * triggered without anything it could redact), else `redact` if text was
 * rewritten, else `allow`. Every triggered rule is a hit shaped for audit.
 */
export class GuardrailPipeline {
  private readonly base: StagePlan;
  private readonly routes: ReadonlyMap<string, StagePlan>;
  private readonly logger: Logger;
  private readonly redactionKey: string | undefined;

  private constructor(config: GuardrailConfig, deps: GuardrailPipelineDeps) {
    this.logger = deps.logger ?? pino({ level: 'silent' });
    this.redactionKey = config.redaction.hashKey;
    const factories: Record<string, RuleFactory<unknown>> = {
      ...BUILT_IN_RULES,
      ...deps.rules,
    };
    const ruleDeps: RuleDeps = {
      logger: this.logger,
      fetch: deps.fetch ?? globalThis.fetch.bind(globalThis),
      ...(this.redactionKey ? { redactionKey: this.redactionKey } : {}),
    };
    const violations: GuardrailConfigViolation[] = [];
    const instances = new Map<string, Rule>();
    const build = (
      path: string,
      stageRules: Readonly<Record<string, RuleSettings>>,
    ): RuleBinding[] => {
      const out: RuleBinding[] = [];
      for (const [id, settings] of Object.entries(stageRules)) {
        if (settings.mode === 'off') continue;
        const name = settings.rule ?? id;
        const factory = factories[name];
        if (!factory) {
          violations.push({
            field: `${path}.${id}`,
            message: `unknown rule '${name}'`,
          });
          continue;
        }
        let options: unknown;
        try {
          options = factory.parseOptions(settings.options);
        } catch (err) {
          for (const issue of err instanceof ZodError
            ? err.issues
            : [{ path: [], message: String(err) }]) {
            violations.push({
              field: [`${path}.${id}.options`, ...issue.path.map(String)].join(
                '.',
              ),
              message: issue.message,
            });
          }
          continue;
        }
        // Rules with equal options are shared across stages and routes: compiled once.
        const key = `${id}\u0000${name}\u0000${JSON.stringify(options)}`;
        let rule = instances.get(key);
        if (!rule) {
          rule = factory.create(id, options, ruleDeps);
          instances.set(key, rule);
        }
        if (settings.mode === 'redact' && !rule.redactable) {
          violations.push({
            field: `${path}.${id}.mode`,
            message: `rule '${name}' cannot redact; use block or flag`,
          });
          continue;
        }
        out.push({ rule, settings });
      }
      return out;
    };
    const plan = (
      overrides?: Partial<Record<GuardrailStage, Record<string, RuleSettings>>>,
      prefix = 'stages',
    ): StagePlan => {
      const result = {} as Record<GuardrailStage, readonly RuleBinding[]>;
      for (const stage of GUARDRAIL_STAGES) {
        result[stage] = build(`${prefix}.${stage}`, {
          ...config.stages[stage],
          ...overrides?.[stage],
        });
      }
      return result;
    };
    this.base = plan();
    this.routes = new Map(
      Object.entries(config.routes).map(([route, r]) => [
        route,
        plan(r.stages, `routes.${route}.stages`),
      ]),
    );
    if (violations.length > 0) throw new GuardrailConfigError(violations);
  }

  /**
   * Builds a pipeline from an unvalidated configuration.
   * @throws GuardrailConfigError naming every invalid setting (unknown rules and bad rule options included).
   */
  static fromConfig(
    config: unknown,
    deps: GuardrailPipelineDeps = {},
  ): GuardrailPipeline {
    return new GuardrailPipeline(parseGuardrailConfig(config), deps);
  }

  /** The active rules of a stage (for a route, when it has overrides), in configuration order. */
  rulesFor(stage: GuardrailStage, route?: string): readonly RuleBinding[] {
    return ((route !== undefined ? this.routes.get(route) : undefined) ??
      this.base)[stage];
  }

  /**
   * Checks a text at a stage. Never throws for rule failures (they become
   * error verdicts).
   * @throws GuardrailInputError when `text` is not a string or `stage` is unknown.
   */
  async check(
    stage: GuardrailStage,
    text: string,
    options: CheckOptions = {},
  ): Promise<GuardrailResult> {
    if (typeof text !== 'string')
      throw new GuardrailInputError('text to check must be a string');
    if (!GUARDRAIL_STAGES.includes(stage))
      throw new GuardrailInputError(
        `unknown guardrail stage '${String(stage)}'`,
      );
    const bindings = this.rulesFor(stage, options.route);
    const ctx = {
      stage,
      ...(options.route !== undefined ? { route: options.route } : {}),
      ...(options.systemPrompt !== undefined
        ? { systemPrompt: options.systemPrompt }
        : {}),
      ...(options.canary !== undefined ? { canary: options.canary } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    };
    const verdicts = await Promise.all(
      bindings.map((b) => runRule(b.rule, b.settings, text, ctx, this.logger)),
    );
    let blocked = false;
    const toRedact: Finding[] = [];
    const hits: GuardrailHit[] = [];
    bindings.forEach((binding, i) => {
      const verdict = verdicts[i]!;
      const mode = binding.settings.mode as Exclude<
        typeof binding.settings.mode,
        'off'
      >;
      const erroredBlock =
        options.failClosedOnBlockingErrors === true &&
        mode === 'block' &&
        verdict.error !== undefined;
      if (!verdict.triggered && !erroredBlock) return;
      let outcome: GuardrailHit['outcome'];
      if (mode === 'block' || erroredBlock) {
        outcome = 'blocked';
        blocked = true;
      } else if (mode === 'redact') {
        if (verdict.findings.length > 0 && verdict.error === undefined) {
          outcome = 'redacted';
          toRedact.push(...verdict.findings);
        } else {
          // Nothing locatable to redact (or the rule failed closed): the text cannot be made safe.
          outcome = 'blocked';
          blocked = true;
        }
      } else {
        outcome = 'flagged';
      }
      hits.push(
        toHit(binding.rule, verdict, stage, options.route, mode, outcome),
      );
    });
    const edits = findingsToEdits(
      toRedact,
      (f) => f.replacement ?? placeholder(f.type, '', undefined),
    );
    return {
      stage,
      ...(options.route !== undefined ? { route: options.route } : {}),
      action: blocked ? 'block' : edits.length > 0 ? 'redact' : 'allow',
      text: applyEdits(text, edits),
      verdicts,
      hits,
      edits,
    };
  }
}

function toHit(
  rule: Rule,
  verdict: Verdict,
  stage: GuardrailStage,
  route: string | undefined,
  mode: GuardrailHit['mode'],
  outcome: GuardrailHit['outcome'],
): GuardrailHit {
  const findingCounts: Record<string, number> = {};
  for (const f of verdict.findings)
    findingCounts[f.type] = (findingCounts[f.type] ?? 0) + 1;
  return {
    ruleId: rule.id,
    kind: rule.kind,
    stage,
    ...(route !== undefined ? { route } : {}),
    mode,
    outcome,
    ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
    ...(verdict.score !== undefined ? { score: verdict.score } : {}),
    ...(verdict.error !== undefined ? { error: verdict.error } : {}),
    findingCounts,
    findingTotal: verdict.findings.length,
  };
}

/** Builds a {@link GuardrailPipeline}; same contract as {@link GuardrailPipeline.fromConfig}. */
export function createGuardrailPipeline(
  config: unknown,
  deps: GuardrailPipelineDeps = {},
): GuardrailPipeline {
  return GuardrailPipeline.fromConfig(config, deps);
}
