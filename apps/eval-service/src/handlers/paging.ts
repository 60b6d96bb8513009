import { ValidationError } from '@fieldwise/errors';
import type { PageInfo, PageRequest } from '@fieldwise/contracts';

/** A resolved page: where it starts and how many items it holds at most. */
export interface Page {
  readonly offset: number;
  readonly size: number;
}

const DEFAULT_SIZE = 50;
const MAX_SIZE = 500;

/**
 * Resolves a PageRequest: size 0 means 50, capped at 500; a negative size
 * or a token this service did not issue is VALIDATION_FAILED.
 */
export function resolvePage(request: PageRequest | undefined): Page {
  const pageSize = request?.pageSize ?? 0;
  if (pageSize < 0) {
    throw new ValidationError([
      { field: 'page.page_size', message: 'must not be negative' },
    ]);
  }
  const token = request?.pageToken ?? '';
  let offset = 0;
  if (token !== '') {
    const match = /^o(\d{1,9})$/.exec(token);
    if (!match) {
      throw new ValidationError([
        { field: 'page.page_token', message: 'is not a token of this list' },
      ]);
    }
    offset = Number(match[1]);
  }
  return {
    offset,
    size: Math.min(pageSize === 0 ? DEFAULT_SIZE : pageSize, MAX_SIZE),
  };
}

/** The items of one page and its PageInfo. */
export function paginate<T>(
  items: readonly T[],
  page: Page,
): { readonly items: T[]; readonly info: PageInfo } {
  const slice = items.slice(page.offset, page.offset + page.size);
  const next = page.offset + slice.length;
  return {
    items: slice,
    info: {
      nextPageToken: next < items.length ? `o${next}` : '',
      totalSize: items.length,
    },
  };
}
