/**
 * Escapes text for HTML element content and quoted attribute values. Every
 * dynamic value in a report goes through it: answers, questions and tool
 * arguments may hold attacker-controlled text.
 */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A number for display: scores with 3 decimals, large values as integers. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return Math.abs(value) >= 100 || Number.isInteger(value)
    ? Math.round(value).toLocaleString('en-US')
    : value.toFixed(3);
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1f2328;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d0d7de;padding-bottom:4px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}.pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}.warn{color:#9a6700}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #d0d7de;border-radius:6px;padding:8px}
pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:8px;border-radius:6px;margin:4px 0}
details{border:1px solid #d0d7de;border-radius:6px;padding:8px;margin:8px 0}summary{cursor:pointer;font-weight:600}
.muted{color:#656d76}`;

/**
 * A complete, self-contained HTML document: inline CSS, no scripts, no
 * external assets, and a CSP that forbids loading any. `title` is escaped;
 * `body` must already be safe HTML.
 */
export function htmlDocument(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`,
    `<body>${body}</body></html>`,
  ].join('\n');
}

/** An HTML table; cells are escaped unless given as `{ html }`. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly (string | number | { readonly html: string })[])[],
): string {
  const cell = (c: string | number | { readonly html: string }): string =>
    typeof c === 'object'
      ? c.html
      : escapeHtml(typeof c === 'number' ? formatNumber(c) : c);
  return `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}
