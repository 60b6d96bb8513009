import { z } from 'zod';
import { isSupportedCountry } from 'libphonenumber-js/max';
import type {
  Finding,
  Rule,
  RuleCheckResult,
  RuleDeps,
  RuleFactory,
} from '../types.js';
import {
  PII_ENTITIES,
  SECRET_TYPES,
  detectCards,
  detectEmails,
  detectIbans,
  detectIps,
  detectSecrets,
  detectSsns,
  phoneDetector,
  type EntityDetector,
  type EntityMatch,
  type PiiEntity,
  type SecretType,
} from '../detectors/entity-detectors.js';
import { overlapsAny, placeholder, placeholderSpans } from '../redaction.js';

/** Options of the `pii` rule. */
export const piiOptionsSchema = z
  .object({
    /** Entity types to detect; IP addresses are opt-in because version strings look like them. */
    entities: z
      .array(z.enum(PII_ENTITIES))
      .default(['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'US_SSN']),
    /** Country assumed for phone numbers written without an international prefix. */
    defaultCountry: z
      .string()
      .length(2)
      .refine(
        (c) => isSupportedCountry(c),
        'not a supported ISO 3166 country code',
      )
      .default('US'),
  })
  .strict();
/** Validated options of the `pii` rule. */
export type PiiOptions = z.infer<typeof piiOptionsSchema>;

/** Options of the `secrets` rule. */
export const secretsOptionsSchema = z
  .object({
    /** Secret types to detect. */
    types: z.array(z.enum(SECRET_TYPES)).default([...SECRET_TYPES]),
  })
  .strict();
/** Validated options of the `secrets` rule. */
export type SecretsOptions = z.infer<typeof secretsOptionsSchema>;

/** Detection shared by the PII and secrets rules: matches to findings with placeholder previews. */
abstract class EntityRule implements Rule {
  abstract readonly kind: 'pii' | 'secret';
  readonly redactable = true;

  constructor(
    readonly id: string,
    private readonly redactionKey: string | undefined,
  ) {}

  protected abstract detect(text: string): EntityMatch[];

  check(text: string): RuleCheckResult {
    const existing = placeholderSpans(text);
    const findings: Finding[] = [];
    for (const match of this.detect(text)) {
      if (overlapsAny(match.span, existing)) continue;
      const replacement = placeholder(
        match.type,
        match.value,
        this.redactionKey,
      );
      findings.push({
        type: match.type,
        span: match.span,
        preview: replacement,
        replacement,
      });
    }
    findings.sort((a, b) => a.span.start - b.span.start);
    if (findings.length === 0) return { triggered: false, findings };
    const types = [...new Set(findings.map((f) => f.type))].sort();
    return { triggered: true, findings, reason: `found ${types.join(', ')}` };
  }
}

/** Detects validated PII: e-mails, phone numbers (numbering plans), cards (Luhn + IIN), IBANs (mod-97), US SSNs, optionally IPv4. */
export class PiiRule extends EntityRule {
  readonly kind = 'pii' as const;
  private readonly detectors: EntityDetector[];

  constructor(id: string, options: PiiOptions, redactionKey?: string) {
    super(id, redactionKey);
    const table: Record<PiiEntity, EntityDetector> = {
      EMAIL: detectEmails,
      PHONE: phoneDetector(options.defaultCountry),
      CREDIT_CARD: detectCards,
      IBAN: detectIbans,
      US_SSN: detectSsns,
      IP_ADDRESS: detectIps,
    };
    this.detectors = [...new Set(options.entities)].map((e) => table[e]);
  }

  protected detect(text: string): EntityMatch[] {
    const all = this.detectors.flatMap((d) => d(text));
    // A card number is also digits a phone parser may accept; keep the more specific, longer match.
    all.sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
    const kept: EntityMatch[] = [];
    for (const m of all) {
      const last = kept.at(-1);
      if (last && m.span.start < last.span.end) continue;
      kept.push(m);
    }
    return kept;
  }
}

/** Detects credentials: cloud and SaaS token formats, JWTs, private keys and high-entropy assignments. */
export class SecretsRule extends EntityRule {
  readonly kind = 'secret' as const;
  private readonly enabled: ReadonlySet<SecretType>;

  constructor(id: string, options: SecretsOptions, redactionKey?: string) {
    super(id, redactionKey);
    this.enabled = new Set(options.types);
  }

  protected detect(text: string): EntityMatch[] {
    return detectSecrets(text, this.enabled);
  }
}

/** Factory of the `pii` rule. */
export const piiRuleFactory: RuleFactory<PiiOptions> = {
  kind: 'pii',
  parseOptions: (options) => piiOptionsSchema.parse(options ?? {}),
  create: (id, options, deps: RuleDeps) =>
    new PiiRule(id, options, deps.redactionKey),
};

/** Factory of the `secrets` rule. */
export const secretsRuleFactory: RuleFactory<SecretsOptions> = {
  kind: 'secret',
  parseOptions: (options) => secretsOptionsSchema.parse(options ?? {}),
  create: (id, options, deps: RuleDeps) =>
    new SecretsRule(id, options, deps.redactionKey),
};
