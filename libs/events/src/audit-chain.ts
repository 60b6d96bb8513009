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
