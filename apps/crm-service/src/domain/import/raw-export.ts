import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';

/** One raw exported row: where it came from and its fields, flattened ("Owner.Email"). */
export interface RawRow {
  /** "accounts.csv:line 7" or "opportunities.json[3]". */
  readonly ref: string;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * Parses RFC 4180 CSV: quoted fields, doubled quotes, embedded commas and
 * newlines, CRLF or LF. The first record is the header. Each row's `ref`
 * names the line it starts on.
 */
export function parseCsv(text: string, source: string): RawRow[] {
  const records: { line: number; values: string[] }[] = [];
  let values: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      values.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      values.push(field);
      records.push({ line: recordLine, values });
      values = [];
      field = '';
      line++;
      recordLine = line;
    } else field += c;
  }
  if (field !== '' || values.length > 0) {
    values.push(field);
    records.push({ line: recordLine, values });
  }
  const [header, ...rows] = records.filter(
    (r) => !(r.values.length === 1 && r.values[0] === ''),
  );
  if (!header) return [];
  const names = header.values.map((h) => h.trim());
  return rows.map((r) => ({
    ref: `${source}:line ${r.line}`,
    fields: Object.fromEntries(names.map((n, i) => [n, r.values[i] ?? ''])),
  }));
}

/** Flattens nested objects ("Owner": {"Email": …} → "Owner.Email") and stringifies scalars. */
function flatten(
  value: unknown,
  prefix: string,
  out: Record<string, string>,
): void {
  if (value === null || value === undefined) {
    out[prefix] = '';
  } else if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      // Salesforce exports carry an "attributes" object per record; it is metadata.
      if (k === 'attributes') continue;
      flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
    }
  } else if (typeof value === 'string') out[prefix] = value;
  else out[prefix] = JSON.stringify(value);
}

/**
 * Parses a JSON export: an array of records or `{ "records": [...] }` (the
 * Salesforce REST shape). Throws a TypeError for anything else.
 */
export function parseJsonExport(text: string, source: string): RawRow[] {
  const parsed: unknown = JSON.parse(text);
  const records = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' &&
        parsed !== null &&
        Array.isArray((parsed as { records?: unknown }).records)
      ? (parsed as { records: unknown[] }).records
      : undefined;
  if (!records)
    throw new TypeError(
      `${source}: expected an array of records or {"records": [...]}`,
    );
  return records.map((record, i) => {
    const fields: Record<string, string> = {};
    flatten(record, '', fields);
    return { ref: `${source}[${i}]`, fields };
  });
}

/** Reads a CSV or JSON export file, by extension. */
export async function readExportFile(path: string): Promise<RawRow[]> {
  const text = await readFile(path, 'utf8');
  const source = basename(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return parseCsv(text, source);
  if (ext === '.json') return parseJsonExport(text, source);
  throw new TypeError(
    `${source}: unsupported export format (use .csv or .json)`,
  );
}
