import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createPayloadRedactor,
  payloadDigest,
} from '../../src/audit/payload-digest.js';
import {
  DEFAULT_GUARDRAILS_PATH,
  loadGuardrailConfigFile,
} from '../../src/guardrails/guardrail-config-file.js';

const redactor = createPayloadRedactor(
  loadGuardrailConfigFile(DEFAULT_GUARDRAILS_PATH),
);
const sha256 = (text: string) =>
  createHash('sha256').update(text, 'utf8').digest('hex');

describe('payload digests', () => {
  it('hashes the redacted text, never the clear one', async () => {
    const body = '{"note":"write to ana.ruiz@contoso-bank.example today"}';
    const digest = await payloadDigest(
      redactor,
      body,
      4096,
      'application/json',
    );
    expect(digest).toEqual({
      sha256: sha256('{"note":"write to [REDACTED:EMAIL] today"}'),
      sizeBytes: Buffer.byteLength(body),
      contentType: 'application/json',
      redacted: true,
      truncated: false,
    });
    expect(digest.sha256).not.toBe(sha256(body));
  });

  it('cuts to the byte cap after redaction and says so', async () => {
    const body = 'é'.repeat(1000);
    const digest = await payloadDigest(redactor, body, 256);
    expect(digest.truncated).toBe(true);
    expect(digest.sizeBytes).toBe(2000);
    expect(digest.sha256).toBe(
      createHash('sha256')
        .update(Buffer.from(body, 'utf8').subarray(0, 256))
        .digest('hex'),
    );
  });

  it('redacts a secret that straddles the cap', async () => {
    const secret = 'AKIAIOSFODNN7EXAMPLE';
    const body = `${'a '.repeat(126)}${secret} tail`;
    const digest = await payloadDigest(redactor, body, 256);
    const clearPrefix = Buffer.from(body, 'utf8').subarray(0, 256);
    expect(digest.redacted).toBe(true);
    expect(digest.sha256).not.toBe(
      createHash('sha256').update(clearPrefix).digest('hex'),
    );
  });
});
