import { createHash } from 'node:crypto';
import {
  createGuardrailPipeline,
  type GuardrailConfig,
  type GuardrailPipeline,
} from '@fieldwise/guardrails';
import type { PayloadDigest } from '@fieldwise/events';

/**
 * The one redaction path for payloads that leave the request: the
 * guardrails library's PII and secret rules in redact mode. Logs, traces and
 * audit events only ever see text that went through it.
 */
export interface PayloadRedactor {
  /** The text with every PII value and secret replaced by a typed placeholder. */
  redact(text: string): Promise<{ text: string; redacted: boolean }>;
}

/**
 * Builds the payload redactor from the gateway's guardrail configuration:
 * the same PII options (entities, default country) and placeholder key as
 * the input stage, always in redact mode whatever the route modes are.
 */
export function createPayloadRedactor(
  config: GuardrailConfig,
): PayloadRedactor {
  const piiOptions = config.stages.input.pii?.options;
  const secretsOptions = config.stages.input.secrets?.options;
  const pipeline: GuardrailPipeline = createGuardrailPipeline({
    stages: {
      input: {
        pii: {
          mode: 'redact',
          ...(piiOptions !== undefined ? { options: piiOptions } : {}),
        },
        secrets: {
          mode: 'redact',
          ...(secretsOptions !== undefined ? { options: secretsOptions } : {}),
        },
      },
    },
    redaction: config.redaction,
  });
  return {
    redact: async (text) => {
      const result = await pipeline.check('input', text);
      // A redact-mode rule that cannot locate what it found answers `block`:
      // then nothing of the text may leave.
      if (result.action === 'block')
        return { text: '[REDACTED:UNREDACTABLE]', redacted: true };
      return { text: result.text, redacted: result.action === 'redact' };
    },
  };
}

/**
 * Redacts `body`, cuts it to `maxBytes` UTF-8 bytes and returns the digest
 * the audit stream carries: never the text itself. Redaction runs before the
 * cut (on at most twice the cap) so a value split by the cut is still seen whole.
 */
export async function payloadDigest(
  redactor: PayloadRedactor,
  body: string,
  maxBytes: number,
  contentType?: string,
): Promise<PayloadDigest> {
  const window =
    body.length > maxBytes * 2 ? body.slice(0, maxBytes * 2) : body;
  const { text, redacted } = await redactor.redact(window);
  let bytes = Buffer.from(text, 'utf8');
  const truncated = window.length < body.length || bytes.length > maxBytes;
  if (bytes.length > maxBytes) bytes = bytes.subarray(0, maxBytes);
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sizeBytes: Buffer.byteLength(body, 'utf8'),
    ...(contentType ? { contentType: contentType.slice(0, 128) } : {}),
    redacted,
    truncated,
  };
}
