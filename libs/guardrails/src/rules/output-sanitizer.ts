import { z } from 'zod';
import type { Finding, Rule, RuleCheckResult, RuleFactory } from '../types.js';

/** Options of the `output-sanitizer` rule. */
export const outputSanitizerOptionsSchema = z
  .object({
    /** Hosts links and images may point to; `example.com` also allows its subdomains. */
    allowedHosts: z.array(z.string().min(1)).default([]),
    /** Keep an image's alt text in place of a removed image. */
    keepImageAltText: z.boolean().default(false),
  })
  .strict();
/** Validated options of the `output-sanitizer` rule. */
export type OutputSanitizerOptions = z.infer<
  typeof outputSanitizerOptionsSchema
>;

// Bounded, bracket-free classes keep every pattern linear.
const MD_IMAGE =
  /!\[([^[\]\n]{0,500})\]\(\s{0,4}<?([^()\s<>]{1,2000}(?:\([^()\s]{0,200}\)[^()\s<>]{0,200})?)>?(?:\s{1,4}"[^"\n]{0,200}")?\s{0,4}\)/g;
const MD_LINK =
  /(?<!!)\[([^[\]\n]{0,500})\]\(\s{0,4}<?([^()\s<>]{1,2000}(?:\([^()\s]{0,200}\)[^()\s<>]{0,200})?)>?(?:\s{1,4}"[^"\n]{0,200}")?\s{0,4}\)/g;
const MD_REF_DEF =
  /^[ \t]{0,3}\[[^[\]\n]{1,200}\]:[ \t]{0,4}<?([^\s<>]{1,2000})>?[^\n]{0,300}$/gm;
const HTML_IMG = /<img\b[^<>]{0,2000}>/gi;
const HTML_A = /<a\b([^<>]{0,2000})>([^<]{0,2000})<\/a\s{0,2}>/gi;
const AUTOLINK = /<(https?:\/\/[^\s<>]{1,2000})>/gi;
const SRC_ATTR = /\b(?:src|href)\s{0,3}=\s{0,3}["']?([^"'\s>]{1,2000})/i;

/**
 * Strips markdown and HTML images, and turns links into their text, when they
 * point to a host that is not allowed (or use a scheme other than http/https).
 * Relative links stay. Findings carry the replacement, so the rule works in
 * `redact` mode; in `flag` or `block` mode it reports what it would strip.
 */
export class OutputSanitizerRule implements Rule {
  readonly kind = 'sanitizer' as const;
  readonly redactable = true;
  private readonly hosts: readonly string[];

  constructor(
    readonly id: string,
    private readonly options: OutputSanitizerOptions,
  ) {
    this.hosts = options.allowedHosts.map((h) =>
      h.toLowerCase().replace(/^\*?\./, ''),
    );
  }

  check(text: string): RuleCheckResult {
    if (!text.includes('](') && !text.includes('<') && !text.includes(']:'))
      return { triggered: false, findings: [] };
    const findings: Finding[] = [];
    const add = (
      type: string,
      index: number,
      length: number,
      replacement: string,
    ): void => {
      findings.push({
        type,
        span: { start: index, end: index + length },
        preview: `[${type}]`,
        replacement,
      });
    };
    for (const m of text.matchAll(MD_IMAGE)) {
      if (!this.allowed(m[2]!))
        add(
          'EXTERNAL_IMAGE',
          m.index,
          m[0].length,
          this.options.keepImageAltText ? m[1]! : '',
        );
    }
    for (const m of text.matchAll(MD_LINK)) {
      if (!this.allowed(m[2]!))
        add('EXTERNAL_LINK', m.index, m[0].length, m[1]!);
    }
    for (const m of text.matchAll(MD_REF_DEF)) {
      if (!this.allowed(m[1]!)) add('EXTERNAL_LINK', m.index, m[0].length, '');
    }
    for (const m of text.matchAll(HTML_IMG)) {
      const src = SRC_ATTR.exec(m[0])?.[1];
      if (src === undefined || !this.allowed(src))
        add('EXTERNAL_IMAGE', m.index, m[0].length, '');
    }
    for (const m of text.matchAll(HTML_A)) {
      const href = SRC_ATTR.exec(m[1]!)?.[1];
      if (href === undefined || !this.allowed(href))
        add('EXTERNAL_LINK', m.index, m[0].length, m[2]!);
    }
    for (const m of text.matchAll(AUTOLINK)) {
      if (!this.allowed(m[1]!)) add('EXTERNAL_LINK', m.index, m[0].length, '');
    }
    findings.sort((a, b) => a.span.start - b.span.start);
    if (findings.length === 0) return { triggered: false, findings };
    return {
      triggered: true,
      findings,
      reason: `${findings.length} external link(s) or image(s) to disallowed hosts`,
    };
  }

  private allowed(target: string): boolean {
    if (/^(?:#|\/(?!\/)|\.{1,2}\/)/.test(target)) return true;
    let url: URL;
    try {
      url = new URL(target.startsWith('//') ? `https:${target}` : target);
    } catch {
      // No scheme and not parseable: a relative path such as `docs/a.md`.
      return !/^[a-z][a-z0-9+.-]*:/i.test(target);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
    const host = url.hostname.toLowerCase();
    return this.hosts.some((h) => host === h || host.endsWith(`.${h}`));
  }
}

/** Factory of the `output-sanitizer` rule. */
export const outputSanitizerRuleFactory: RuleFactory<OutputSanitizerOptions> = {
  kind: 'sanitizer',
  parseOptions: (options) => outputSanitizerOptionsSchema.parse(options ?? {}),
  create: (id, options) => new OutputSanitizerRule(id, options),
};
