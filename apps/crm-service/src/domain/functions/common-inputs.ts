import { z } from 'zod';
import { ID_PATTERN } from '../validation.js';

/** A record id as callers send it. */
export const idSchema = z.string().regex(ID_PATTERN, 'must be a record id');

/** An idempotency key: long enough not to collide by accident. */
export const idempotencyKeySchema = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must be printable ASCII without spaces');
