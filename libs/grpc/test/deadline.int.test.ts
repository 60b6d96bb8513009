import { afterEach, describe, expect, it } from 'vitest';
import {
  credentials,
  Client,
  Metadata,
  type ServiceError,
} from '@grpc/grpc-js';
import { GrpcStatus } from '@fieldwise/errors';
import { PRINCIPAL_METADATA_KEY } from '@fieldwise/principal';
import { fromGrpcError, GrpcCallError } from '../src/index.js';
import { TestServiceService } from './support/test-service.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A harness whose call path ran once, so short deadlines are spent in handlers, not in start-up. */
async function warmHarness(
  overrides: Parameters<typeof startHarness>[0] = {},
): Promise<Harness> {
  const harness = await startHarness(overrides);
  await harness.client.echo(
    { text: 'warm-up' },
    { principalToken: await harness.token() },
  );
  return harness;
}

describe('deadlines', () => {
  it("aborts a slow handler at the client's deadline and answers DEADLINE_EXCEEDED", async () => {
    h = await warmHarness();
    const error = await h.client
      .slow({ text: 'x' }, { principalToken: await h.token(), deadlineMs: 300 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(error).toBeInstanceOf(GrpcCallError);
    expect((error as GrpcCallError).grpcStatus).toBe(
      GrpcStatus.DEADLINE_EXCEEDED,
    );
    expect((error as GrpcCallError).code).toBe('DEADLINE_EXCEEDED');
    await expect.poll(() => h?.observed.aborts.length).toBe(1);
    expect(h.observed.aborts[0]?.code).toBe('DEADLINE_EXCEEDED');
  });

  it('gives a call without a deadline the server default', async () => {
    h = await warmHarness({ deadlines: { defaultMs: 300, maxMs: 60_000 } });
    // A bare grpc-js client: the Fieldwise client never sends a call without a deadline.
    const raw = new Client(h.address, credentials.createInsecure());
    const metadata = new Metadata();
    metadata.set(PRINCIPAL_METADATA_KEY, await h.token());
    const method = TestServiceService.slow;
    const error = await new Promise<ServiceError | null>((resolve) => {
      raw.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        { text: 'no deadline' },
        metadata,
        {},
        (e) => resolve(e),
      );
    });
    raw.close();

    expect(error?.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    expect(fromGrpcError(error).code).toBe('DEADLINE_EXCEEDED');
    expect(h.observed.aborts.map((e) => e.code)).toEqual(['DEADLINE_EXCEEDED']);
  });

  it('caps a generous client deadline at the server maximum', async () => {
    h = await warmHarness({ deadlines: { defaultMs: 100, maxMs: 300 } });
    const error = await h.client
      .slow(
        { text: 'x' },
        { principalToken: await h.token(), deadlineMs: 60_000 },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((error as GrpcCallError).code).toBe('DEADLINE_EXCEEDED');
    expect(h.observed.aborts.map((e) => e.code)).toEqual(['DEADLINE_EXCEEDED']);
  });

  it('aborts the handler with CANCELLED when the client cancels', async () => {
    h = await startHarness();
    const controller = new AbortController();
    const pending = h.client
      .slow(
        { text: 'x' },
        { principalToken: await h.token(), signal: controller.signal },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    await h.observed.slowStarted;
    controller.abort();

    expect(((await pending) as GrpcCallError).code).toBe('CANCELLED');
    await expect.poll(() => h?.observed.aborts.length).toBe(1);
    expect(h.observed.aborts[0]?.code).toBe('CANCELLED');
  });
});
