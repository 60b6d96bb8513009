import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js';
import type { Span } from '../types.js';
import {
  cardBrand,
  ibanValid,
  luhnValid,
  shannonEntropy,
  ssnValid,
} from './checksums.js';

/** One detected entity: its type, where it is, and the clear value (never leaves the process). */
export interface EntityMatch {
  readonly type: string;
  readonly span: Span;
  readonly value: string;
}

/** A detector scans a text and returns validated matches. */
export type EntityDetector = (text: string) => EntityMatch[];

/** PII entity types this library detects. */
export const PII_ENTITIES = [
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'IP_ADDRESS',
] as const;
/** A PII entity type. */
export type PiiEntity = (typeof PII_ENTITIES)[number];

/** Secret types this library detects. */
export const SECRET_TYPES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'GITHUB_TOKEN',
  'SLACK_TOKEN',
  'OPENAI_API_KEY',
  'STRIPE_KEY',
  'GOOGLE_API_KEY',
  'JWT',
  'PRIVATE_KEY',
  'SECRET_ASSIGNMENT',
] as const;
/** A secret type. */
export type SecretType = (typeof SECRET_TYPES)[number];

const collect = (
  text: string,
  re: RegExp,
  type: string,
  group = 0,
  accept?: (m: RegExpExecArray) => boolean,
): EntityMatch[] => {
  const out: EntityMatch[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (accept && !accept(m)) continue;
    const value = m[group] ?? m[0];
    const start = m.index + m[0].indexOf(value);
    out.push({ type, span: { start, end: start + value.length }, value });
  }
  return out;
};

// Scanning from each '@' keeps e-mail detection linear whatever the input.
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?){0,8}\.[A-Za-z]{2,24}/;

/** E-mail addresses: bounded local part, a dotted domain with a letters-only TLD. */
export function detectEmails(text: string): EntityMatch[] {
  const out: EntityMatch[] = [];
  let at = text.indexOf('@');
  let lastEnd = 0;
  while (at !== -1) {
    let start = at;
    while (
      start > lastEnd &&
      at - start < 64 &&
      LOCAL_CHAR.test(text[start - 1]!)
    )
      start--;
    while (start < at && text[start] === '.') start++;
    // `scheme://user@host` is URL userinfo (often a token), not an address.
    const userinfo = text.slice(Math.max(0, start - 3), start).endsWith('//');
    const domain =
      start < at && !userinfo
        ? DOMAIN.exec(text.slice(at + 1, at + 256))
        : null;
    if (domain) {
      const end = at + 1 + domain[0].length;
      if (!/[A-Za-z0-9-]/.test(text[end] ?? '')) {
        out.push({
          type: 'EMAIL',
          span: { start, end },
          value: text.slice(start, end),
        });
        lastEnd = end;
        at = text.indexOf('@', end);
        continue;
      }
    }
    at = text.indexOf('@', at + 1);
  }
  return out;
}

const PHONE_LIKE_RUN = /\d(?:[\s()./-]{0,3}\d){6}/;

/** Phone numbers that are valid in their country's numbering plan (libphonenumber full metadata). */
export function phoneDetector(defaultCountry: CountryCode): EntityDetector {
  return (text) => {
    // The shortest valid numbers have 7 digits, possibly split by spaces,
    // dots, dashes, slashes or parentheses; text without such a run cannot
    // hold one, and the numbering-plan parser is costly (it throws and
    // catches internally), so it only runs where a number can be.
    if (!PHONE_LIKE_RUN.test(text)) return [];
    const out: EntityMatch[] = [];
    for (const found of findPhoneNumbersInText(text, { defaultCountry })) {
      if (!found.number.isValid()) continue;
      const value = text.slice(found.startsAt, found.endsAt);
      // Bare digit runs without separators or a '+' are order numbers and SKUs far more often than phones.
      if (!/[+()\s.-]/.test(value)) continue;
      // Digits glued to an identifier (`OPP-2024-000123`, `SKU4155550100`) are part of that identifier.
      if (
        /[A-Za-z0-9_-]/.test(text[found.startsAt - 1] ?? '') ||
        /[A-Za-z0-9_]/.test(text[found.endsAt] ?? '')
      )
        continue;
      out.push({
        type: 'PHONE',
        span: { start: found.startsAt, end: found.endsAt },
        value,
      });
    }
    return out;
  };
}

const CARD = /(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d])/g;

/** Payment card numbers: 12–19 digits, consistent separators, a known IIN range and a valid Luhn digit. */
export function detectCards(text: string): EntityMatch[] {
  return collect(text, CARD, 'CREDIT_CARD', 0, (m) => {
    const separators = new Set(m[0].replace(/\d/g, ''));
    if (separators.size > 1) return false;
    const digits = m[0].replace(/\D/g, '');
    return cardBrand(digits) !== undefined && luhnValid(digits);
  });
}

const IBAN =
  /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g;

/** IBANs: country code, check digits, the country's length and a mod-97 remainder of 1. */
export function detectIbans(text: string): EntityMatch[] {
  const out: EntityMatch[] = [];
  IBAN.lastIndex = 0;
  for (const m of text.matchAll(IBAN)) {
    // A trailing word can glue onto the match; try shorter prefixes on group boundaries.
    let candidate = m[0];
    while (candidate.length >= 15) {
      if (ibanValid(candidate.replace(/ /g, ''))) {
        out.push({
          type: 'IBAN',
          span: { start: m.index, end: m.index + candidate.length },
          value: candidate,
        });
        break;
      }
      const cut = candidate.lastIndexOf(' ');
      if (cut <= 4) break;
      candidate = candidate.slice(0, cut);
    }
  }
  return out;
}

const SSN = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;

/** US Social Security numbers in 3-2-4 form, excluding ranges never issued. */
export function detectSsns(text: string): EntityMatch[] {
  return collect(text, SSN, 'US_SSN', 0, (m) => ssnValid(m[1]!, m[3]!, m[4]!));
}

const IPV4 =
  /(?<![\d.vV])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.])/g;

/** IPv4 addresses (not preceded by `v`, so version strings stay). Off by default. */
export function detectIps(text: string): EntityMatch[] {
  return collect(
    text,
    IPV4,
    'IP_ADDRESS',
    0,
    (m) => !/version\s*$/i.test(text.slice(Math.max(0, m.index - 10), m.index)),
  );
}

const SECRET_PATTERNS: readonly {
  type: SecretType;
  re: RegExp;
  group?: number;
}[] = [
  {
    type: 'AWS_ACCESS_KEY_ID',
    re: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z2-7]{16}(?![A-Za-z0-9])/g,
  },
  {
    type: 'AWS_SECRET_ACCESS_KEY',
    re: /(?<![A-Za-z0-9_])(?:aws_?)?secret(?:_?access)?_?key(?:_id)?["']?\s{0,3}[:=]\s{0,3}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    group: 1,
  },
  {
    type: 'AWS_SECRET_ACCESS_KEY',
    re: /(?<![A-Za-z0-9_])secret access key\s{0,3}(?:is|[:=])\s{0,3}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    group: 1,
  },
  {
    type: 'GITHUB_TOKEN',
    re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/g,
  },
  {
    type: 'GITHUB_TOKEN',
    re: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{50,255}(?![A-Za-z0-9_])/g,
  },
  {
    type: 'SLACK_TOKEN',
    re: /(?<![A-Za-z0-9-])xox[abposre]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])/g,
  },
  {
    type: 'SLACK_TOKEN',
    re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,32}/g,
  },
  {
    type: 'OPENAI_API_KEY',
    re: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,250}(?![A-Za-z0-9_-])/g,
  },
  {
    type: 'STRIPE_KEY',
    re: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}(?![A-Za-z0-9_])/g,
  },
  {
    type: 'STRIPE_KEY',
    re: /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9]{24,64}(?![A-Za-z0-9_])/g,
  },
  {
    type: 'GOOGLE_API_KEY',
    re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  },
  {
    type: 'JWT',
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{16,1024}(?![A-Za-z0-9_-])/g,
  },
];

const ASSIGNMENT =
  /(?<![A-Za-z0-9])((?:[A-Za-z0-9]{1,20}[_-])?(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|client[_-]?secret|private[_-]?key|token))["']?\s{0,3}[:=]\s{0,3}(["']?)([^\s"'`,;]{8,200})\2/gi;
const ASSIGNMENT_KEYWORD =
  /password|passwd|pwd|secret|api[_-]?key|apikey|token/i;
const PLACEHOLDER_VALUE =
  /^(?:\$\{.*\}|<.*>|\{\{.*\}\}|%\w+%|\*+|x+|your[_-].*|changeme|password|example.*|redacted|null|none|undefined|true|false)$/i;

/** A secret-like value: long enough, mixed character classes and high entropy. */
function secretLike(value: string): boolean {
  if (PLACEHOLDER_VALUE.test(value) || value.startsWith('[REDACTED'))
    return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) =>
    re.test(value),
  ).length;
  return classes >= 2 && shannonEntropy(value) >= 3;
}

/** Private key blocks (PEM, OpenSSH, PGP), found by their markers so any length scans linearly. */
function detectPrivateKeys(text: string): EntityMatch[] {
  const out: EntityMatch[] = [];
  const begin =
    /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?)-----/g;
  for (const m of text.matchAll(begin)) {
    if (out.some((o) => m.index < o.span.end)) continue;
    const endMarker = `-----END ${m[1]}-----`;
    const endAt = text.indexOf(endMarker, m.index + m[0].length);
    let end: number;
    if (endAt !== -1) {
      end = endAt + endMarker.length;
    } else {
      // A truncated block: take the base64 body that follows.
      const body = /^[\sA-Za-z0-9+/=:-]*/.exec(
        text.slice(m.index + m[0].length),
      );
      end = m.index + m[0].length + (body?.[0].length ?? 0);
    }
    out.push({
      type: 'PRIVATE_KEY',
      span: { start: m.index, end },
      value: text.slice(m.index, end),
    });
  }
  return out;
}

/** Secrets: provider-specific token formats, private key blocks and high-entropy `password=`-style assignments. */
export function detectSecrets(
  text: string,
  enabled: ReadonlySet<SecretType>,
): EntityMatch[] {
  const out: EntityMatch[] = [];
  for (const { type, re, group } of SECRET_PATTERNS) {
    if (!enabled.has(type)) continue;
    out.push(...collect(text, re, type, group ?? 0));
  }
  if (enabled.has('PRIVATE_KEY') && text.includes('PRIVATE KEY'))
    out.push(...detectPrivateKeys(text));
  // The assignment pattern tries every word start; a plain keyword test
  // first keeps ordinary text (no such keyword at all) to one cheap scan.
  if (enabled.has('SECRET_ASSIGNMENT') && ASSIGNMENT_KEYWORD.test(text)) {
    for (const m of collect(text, ASSIGNMENT, 'SECRET_ASSIGNMENT', 3, (m) =>
      secretLike(m[3] ?? ''),
    )) {
      if (
        !out.some((o) => o.span.start < m.span.end && m.span.start < o.span.end)
      )
        out.push(m);
    }
  }
  return out;
}
