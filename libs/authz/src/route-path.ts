/** A request path reduced to what route rules match, or why it cannot be. */
export type CanonicalPath =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly problem: string };

/**
 * Strips the query and fragment and refuses paths that could match one
 * pattern while the router serves another: dot segments, empty segments,
 * encoded slashes, dots or backslashes. A trailing slash is dropped.
 */
export function canonicalRoutePath(raw: string): CanonicalPath {
  const path = raw.split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith('/'))
    return { ok: false, problem: 'path must start with /' };
  if (/%(?:2f|2e|5c)|\\/i.test(path)) {
    return {
      ok: false,
      problem: 'path contains an encoded slash, dot or a backslash',
    };
  }
  const trimmed =
    path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed.slice(1).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    return { ok: false, problem: 'path has empty or dot segments' };
  }
  return { ok: true, path: trimmed };
}
