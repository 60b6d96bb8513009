import { z } from 'zod';
import type { Rule, RuleCheckResult, RuleFactory, Finding } from '../types.js';
import { baseView, textViews, viewSpan, wordsView } from '../text/normalize.js';

const topicSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/),
    /** Phrases that mark the topic, matched on whole words after normalization. */
    terms: z.array(z.string().min(2)).min(1),
    /** Phrases that make the same words legitimate (the text is about a customer, not advice). */
    allow: z.array(z.string().min(2)).default([]),
    /** Distinct terms needed to trigger. */
    minHits: z.number().int().positive().default(1),
  })
  .strict();

/** The built-in deny-listed topics: personal medical, legal and investment advice. */
export const DEFAULT_TOPICS: z.input<typeof topicSchema>[] = [
  {
    id: 'medical_advice',
    terms: [
      'diagnose me',
      'my symptoms',
      'what dosage',
      'dosage of',
      'should i take',
      'prescribe me',
      'medical advice',
      'side effects of',
      'is this rash',
      'how many pills',
      'my medication',
    ],
    allow: [
      'hipaa',
      'healthcare customer',
      'healthcare account',
      'healthcare industry',
      'patient data',
      'clinical data',
      'life sciences',
      'ehr',
      'security questionnaire',
    ],
  },
  {
    id: 'legal_advice',
    terms: [
      'legal advice',
      'should i sue',
      'can i sue',
      'is it legal for me',
      'represent me in court',
      'my divorce',
      'custody of my',
      'am i liable',
      'draft my will',
      'my landlord',
    ],
    allow: [
      'deal desk',
      'legal team',
      'redline',
      'msa',
      'dpa',
      'procurement',
      'contract review',
      'security questionnaire',
    ],
  },
  {
    id: 'investment_advice',
    terms: [
      'investment advice',
      'which stocks',
      'should i invest',
      'stock tips',
      'should i buy shares',
      'buy crypto',
      'my portfolio',
      'my 401k',
    ],
    allow: [],
  },
];

/** Options of the `topics` rule. */
export const topicsOptionsSchema = z
  .object({
    topics: z
      .array(topicSchema)
      .default(DEFAULT_TOPICS.map((t) => topicSchema.parse(t))),
  })
  .strict();
/** Validated options of the `topics` rule. */
export type TopicsOptions = z.infer<typeof topicsOptionsSchema>;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Phrases are normalized the same way as the text, so `Médical` matches `medical`.
const phraseRegex = (phrases: readonly string[]): RegExp | undefined => {
  if (phrases.length === 0) return undefined;
  const alts = phrases.map((p) => escape(wordsView(baseView(p)).text.trim()));
  return new RegExp(` (?:${alts.join('|')})(?= )`, 'g');
};

/** Deny-listed topics by keyword families, each with an allow context that exempts it. */
export class TopicsRule implements Rule {
  readonly kind = 'topic' as const;
  readonly redactable = false;
  private readonly topics: {
    id: string;
    terms: RegExp;
    allow?: RegExp;
    minHits: number;
  }[];

  constructor(
    readonly id: string,
    options: TopicsOptions,
  ) {
    this.topics = options.topics.map((t) => ({
      id: t.id,
      terms: phraseRegex(t.terms)!,
      allow: phraseRegex(t.allow),
      minHits: t.minHits,
    }));
  }

  check(text: string): RuleCheckResult {
    const { words } = textViews(text);
    const findings: Finding[] = [];
    const matched: string[] = [];
    for (const topic of this.topics) {
      const terms = new Set<string>();
      const spans: Finding[] = [];
      for (const m of words.text.matchAll(topic.terms)) {
        terms.add(m[0]);
        spans.push({
          type: `TOPIC_${topic.id.toUpperCase()}`,
          span: viewSpan(words, m.index + 1, m.index + m[0].length),
          preview: `topic:${topic.id}`,
        });
      }
      if (terms.size < topic.minHits) continue;
      if (topic.allow) {
        topic.allow.lastIndex = 0;
        if (topic.allow.test(words.text)) continue;
      }
      matched.push(topic.id);
      findings.push(...spans);
    }
    if (matched.length === 0) return { triggered: false, findings: [] };
    return {
      triggered: true,
      findings,
      reason: `denied topic: ${matched.join(', ')}`,
    };
  }
}

/** Factory of the `topics` rule. */
export const topicsRuleFactory: RuleFactory<TopicsOptions> = {
  kind: 'topic',
  parseOptions: (options) => topicsOptionsSchema.parse(options ?? {}),
  create: (id, options) => new TopicsRule(id, options),
};
