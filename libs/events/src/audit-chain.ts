import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { ChainedCloudEvent, CloudEvent } from './cloud-event.js';

/**
 * The audit-chain hash of an event: lower-case hex SHA-256 over the
 * canonical JSON (sorted keys, no whitespace) of the event without its
 * `hash` attribute. Everything else, `prevhash` and `seq` included, is
 * covered, so an edit anywhere changes it.
 */
export function computeEventHash(event: CloudEvent): string {
  const { hash: _hash, ...rest } = event;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** The link a producer gives its next audit event. */
export interface ChainLink {
  readonly producerId: string;
  readonly seq: number;
  readonly prevHash: string;
}

/**
 * Returns a copy of `event` joined to a producer's chain: `producerid`,
 * `seq` and `prevhash` from `link`, and `hash` computed over the result.
 */
export function chainEvent<Data>(
  event: CloudEvent<Data>,
  link: ChainLink,
): ChainedCloudEvent<Data> {
  const linked = {
    ...event,
    producerid: link.producerId,
    seq: link.seq,
    prevhash: link.prevHash,
  };
  return { ...linked, hash: computeEventHash(linked) };
}

/**
 * {@link chainEvent} plus the event's JSON, from one serialization: the
 * canonical JSON that is hashed is also the stored form, with `hash` put
 * first. Any JSON parser reads the same event back, and
 * {@link computeEventHash} of it gives `hash` again.
 */
export function chainEventJson<Data>(
  event: CloudEvent<Data>,
  link: ChainLink,
): { readonly event: ChainedCloudEvent<Data>; readonly json: string } {
  const linked = {
    ...event,
    producerid: link.producerId,
    seq: link.seq,
    prevhash: link.prevHash,
  };
  delete (linked as { hash?: string }).hash;
  const body = canonicalJson(linked);
  const hash = createHash('sha256').update(body).digest('hex');
  // `linked` has at least the chain attributes, so `body` is `{"…":…}`.
  return {
    event: { ...linked, hash },
    json: `{"hash":"${hash}",${body.slice(1)}`,
  };
}
