import { createHash } from 'node:crypto';
import { ValidationError } from '@fieldwise/errors';
import type { PageInfo, PageRequest } from '@fieldwise/contracts';

/** A resolved page: where it starts and how many items it holds. */
export interface Page {
  readonly offset: number;
  readonly size: number;
  /** Digest of the filters the token is bound to. */
  readonly filters: string;
}

/** Page sizes: 0 asks for `defaultSize`; larger than `maxSize` is capped. */
export interface PageLimits {
  readonly defaultSize: number;
  readonly maxSize: number;
}

/** Default limits of list RPCs (common.proto: default 50, cap 500). */
export const DEFAULT_PAGE_LIMITS: PageLimits = {
  defaultSize: 50,
  maxSize: 500,
};

const MAX_TOKEN_LENGTH = 200;

/**
 * Decodes a `PageRequest`. Tokens are opaque (base64url of the offset and a
 * digest of the filters) and valid only with the same filters; a negative
 * size, a malformed token or one issued for other filters is
 * `VALIDATION_FAILED`.
 */
export function resolvePage(
  request: PageRequest | undefined,
  filters: unknown,
  limits: PageLimits = DEFAULT_PAGE_LIMITS,
): Page {
  const pageSize = request?.pageSize ?? 0;
  if (!Number.isInteger(pageSize) || pageSize < 0) {
    throw new ValidationError([
      { field: 'page.pageSize', message: 'must not be negative' },
    ]);
  }
  const size =
    pageSize === 0 ? limits.defaultSize : Math.min(pageSize, limits.maxSize);
  const digest = filterDigest(filters);
  const token = request?.pageToken ?? '';
  if (token === '') return { offset: 0, size, filters: digest };
  const offset = decodeToken(token, digest);
  return { offset, size, filters: digest };
}

/** The `PageInfo` for a page of `total` items. */
export function pageInfo(page: Page, total: number): PageInfo {
  const next = page.offset + page.size;
  return {
    nextPageToken: next < total ? encodeToken(next, page.filters) : '',
    totalSize: total,
  };
}

/** Slices one page out of a complete, ordered list. */
export function pageOf<T>(items: readonly T[], page: Page): T[] {
  return items.slice(page.offset, page.offset + page.size);
}

function filterDigest(filters: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(filters))
    .digest('base64url')
    .slice(0, 16);
}

function encodeToken(offset: number, filters: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: filters })).toString(
    'base64url',
  );
}

function decodeToken(token: string, filters: string): number {
  const invalid = (message: string) =>
    new ValidationError([{ field: 'page.pageToken', message }]);
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw invalid('is not a token this service issued');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not a token this service issued');
  }
  const { o, f } = (parsed ?? {}) as { o?: unknown; f?: unknown };
  if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) {
    throw invalid('is not a token this service issued');
  }
  if (f !== filters) {
    throw invalid('was issued for other filters; start again without a token');
  }
  return o;
}
