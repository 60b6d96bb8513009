import { z } from 'zod';

/** The CloudEvents version every Fieldwise event declares. */
export const CLOUDEVENTS_SPEC_VERSION = '1.0' as const;

/** Lower-case hex SHA-256 digest. */
export const sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex SHA-256 digest');

/** The `prevhash` of the first event of a producer's audit chain. */
export const GENESIS_HASH = '0'.repeat(64);

const extensionValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * The CloudEvents 1.0 JSON envelope as Fieldwise uses it: JSON data only,
 * RFC 3339 `time`, and extension attributes for tenancy (`tenant`,
 * `principal`), tracing (`traceparent`) and the per-producer audit hash chain
 * (`producerid`, `seq`, `prevhash`, `hash`). Other extension attributes are
 * allowed when their names follow the spec (lower-case alphanumerics, at most
 * 20 characters) and their values are primitives. `data` is validated
 * separately, by type (see `parseEvent`).
 */
export const cloudEventSchema = z
  .object({
    specversion: z.literal(CLOUDEVENTS_SPEC_VERSION),
    id: z.string().min(1).max(256),
    source: z.string().min(1).max(512),
    type: z.string().min(1).max(256),
    subject: z.string().min(1).max(512).optional(),
    time: z.iso.datetime({ offset: true }),
    datacontenttype: z.literal('application/json'),
    data: z.unknown(),
    tenant: z.string().min(1).max(128).optional(),
    principal: z.string().min(1).max(256).optional(),
    traceparent: z
      .string()
      .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/)
      .optional(),
    producerid: z.string().min(1).max(128).optional(),
    seq: z.number().int().positive().optional(),
    prevhash: sha256HexSchema.optional(),
    hash: sha256HexSchema.optional(),
  })
  .catchall(extensionValue)
  .superRefine((event, context) => {
    for (const key of Object.keys(event)) {
      if (!/^[a-z0-9]{1,20}$/.test(key)) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message:
            'CloudEvents attribute names are 1-20 lower-case letters or digits',
        });
      }
    }
  });

/**
 * A parsed CloudEvents 1.0 envelope (the shape {@link cloudEventSchema}
 * accepts); `Data` is the payload type. Other extension attributes, if any,
 * are primitives under their own lower-case names.
 */
export interface CloudEvent<Data = unknown> {
  readonly specversion: typeof CLOUDEVENTS_SPEC_VERSION;
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: Data;
  readonly tenant?: string;
  readonly principal?: string;
  readonly traceparent?: string;
  readonly producerid?: string;
  readonly seq?: number;
  readonly prevhash?: string;
  readonly hash?: string;
  readonly [extension: string]: unknown;
}

/** The chain attributes every audit event carries once it is in an outbox. */
export interface AuditChainAttributes {
  readonly producerid: string;
  readonly seq: number;
  readonly prevhash: string;
  readonly hash: string;
}

/** A CloudEvent that carries its audit-chain attributes. */
export type ChainedCloudEvent<Data = unknown> = CloudEvent<Data> &
  AuditChainAttributes;
