import type { VectorFilter, VectorPayload } from './port.js';

/** True when `payload` satisfies `filter` (the semantics documented on {@link VectorFilter}). */
export function matchesFilter(
  payload: VectorPayload,
  filter: VectorFilter,
): boolean {
  if (payload.tenant !== filter.tenant) return false;
  if (!filter.visibility.includes(payload.visibility)) return false;
  if (
    filter.type &&
    filter.type.length > 0 &&
    !filter.type.includes(payload.type)
  )
    return false;
  if (!anyOf(payload.products, filter.products)) return false;
  if (!anyOf(payload.competitors, filter.competitors)) return false;
  if (!anyOf(payload.industries, filter.industries)) return false;
  if (filter.regions && filter.regions.length > 0) {
    if (
      !payload.regions.includes('global') &&
      !anyOf(payload.regions, filter.regions)
    )
      return false;
  }
  return true;
}

function anyOf(
  values: readonly string[],
  wanted: readonly string[] | undefined,
): boolean {
  if (!wanted || wanted.length === 0) return true;
  return values.some((value) => wanted.includes(value));
}
