// Builds the PDF documents of the collateral corpus from plain-text sources, without dependencies.
//
//   node scripts/make-collateral-pdfs.mjs          write data/collateral/<id>.pdf for every source
//   node scripts/make-collateral-pdfs.mjs --check  exit 1 if a committed PDF differs from its source
//
// Inputs: data/collateral/_sources/<id>.txt (text; "# " and "## " lines become bold headings) and
// data/collateral/<id>.meta.json (the document metadata, the same fields as Markdown front matter).
// Output is deterministic (no clock, no random ids), so regenerating an unchanged source gives the
// same bytes and --check can guard against hand-edited or stale PDFs.
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const collateralDir = join(root, 'data', 'collateral');
const sourcesDir = join(collateralDir, '_sources');

const PAGE_WIDTH = 612; // US Letter, points
const PAGE_HEIGHT = 792;
const MARGIN = 60;
const STYLES = {
  title: { font: 'F2', size: 16, leading: 22, wrap: 58 },
  heading: { font: 'F2', size: 12.5, leading: 18, wrap: 74 },
  body: { font: 'F1', size: 10, leading: 13.5, wrap: 90 },
};

// Helvetica in a PDF without an embedded font only covers WinAnsi; keep sources ASCII apart from
// these common typographic characters, which are mapped rather than silently dropped.
const CHAR_MAP = {
  '\u2014': '-',
  '\u2013': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2026': '...',
};

function toAscii(text, file) {
  let out = '';
  for (const ch of text) {
    if (CHAR_MAP[ch] !== undefined) out += CHAR_MAP[ch];
    else if (ch.charCodeAt(0) < 128) out += ch;
    else
      throw new Error(
        `${file}: unsupported non-ASCII character ${JSON.stringify(ch)}`,
      );
  }
  return out;
}

function escapePdfString(text) {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\(/g, '\\(')
    .replace(/\)/g, '\\)');
}

function wrap(text, width) {
  const words = text.split(/\s+/).filter(Boolean);
  const lines = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Turns source text into positioned lines, split into pages. */
function layout(source) {
  const items = [];
  for (const raw of source.split('\n')) {
    const line = raw.trimEnd();
    if (line.trim() === '') {
      items.push({ gap: 6 });
    } else if (line.startsWith('# ')) {
      for (const l of wrap(line.slice(2), STYLES.title.wrap))
        items.push({ style: STYLES.title, text: l });
    } else if (line.startsWith('## ')) {
      items.push({ gap: 4 });
      for (const l of wrap(line.slice(3), STYLES.heading.wrap))
        items.push({ style: STYLES.heading, text: l });
    } else {
      // Keep the indentation of bullets and table-like rows on continuation lines.
      const indent = line.match(/^(\s*(?:[-*]|\d+\.)\s+)/)?.[1] ?? '';
      const wrapped = wrap(line, STYLES.body.wrap - indent.length);
      wrapped.forEach((l, i) =>
        items.push({
          style: STYLES.body,
          text: i === 0 ? l : ' '.repeat(indent.length) + l,
        }),
      );
    }
  }
  const pages = [];
  let current = [];
  let y = PAGE_HEIGHT - MARGIN;
  for (const item of items) {
    const height = item.gap ?? item.style.leading;
    if (y - height < MARGIN && current.length > 0) {
      pages.push(current);
      current = [];
      y = PAGE_HEIGHT - MARGIN;
    }
    y -= height;
    if (!item.gap) current.push({ ...item, y });
  }
  if (current.length > 0) pages.push(current);
  return pages;
}

function contentStream(lines, pageNumber, pageCount, footer) {
  const ops = [];
  for (const { style, text, y } of lines) {
    ops.push(
      `BT /${style.font} ${style.size} Tf ${MARGIN} ${y.toFixed(2)} Td (${escapePdfString(text)}) Tj ET`,
    );
  }
  ops.push(
    `BT /F1 8 Tf ${MARGIN} 30 Td (${escapePdfString(`${footer} - page ${pageNumber} of ${pageCount}`)}) Tj ET`,
  );
  return ops.join('\n');
}

/** Serializes a minimal PDF 1.4: catalog, page tree, two standard fonts, info dictionary, pages. */
function buildPdf(pages, meta) {
  const objects = [];
  const add = (body) => {
    objects.push(body);
    return objects.length;
  };
  const catalogId = add(null);
  const pagesId = add(null);
  const fontRegular = add(
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  );
  const fontBold = add(
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
  );
  const date = `D:${meta.updated.replace(/-/g, '')}000000Z`;
  const info = add(
    `<< /Title (${escapePdfString(meta.title)}) /Author (${escapePdfString(meta.owner)}) ` +
      `/Subject (${escapePdfString(meta.id)}) /Keywords (${escapePdfString(`fieldwise ${meta.type} ${meta.visibility}`)}) ` +
      `/Creator (scripts/make-collateral-pdfs.mjs) /CreationDate (${date}) /ModDate (${date}) >>`,
  );
  const pageIds = [];
  pages.forEach((lines, index) => {
    const stream = contentStream(
      lines,
      index + 1,
      pages.length,
      `Lumen Data - ${meta.title}`,
    );
    const contentId = add(
      `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    );
    pageIds.push(
      add(
        `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
          `/Resources << /Font << /F1 ${fontRegular} 0 R /F2 ${fontBold} 0 R >> >> /Contents ${contentId} 0 R >>`,
      ),
    );
  });
  objects[catalogId - 1] = `<< /Type /Catalog /Pages ${pagesId} 0 R >>`;
  objects[pagesId - 1] =
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;

  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefOffset = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets)
    out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalogId} 0 R /Info ${info} 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const REQUIRED_META = [
  'id',
  'title',
  'type',
  'products',
  'competitors',
  'industries',
  'regions',
  'visibility',
  'owner',
  'updated',
];

function readMeta(id) {
  const file = join(collateralDir, `${id}.meta.json`);
  if (!existsSync(file)) throw new Error(`missing sidecar ${file}`);
  const meta = JSON.parse(readFileSync(file, 'utf8'));
  for (const key of REQUIRED_META) {
    if (meta[key] === undefined)
      throw new Error(`${file}: missing field "${key}"`);
  }
  if (meta.id !== id)
    throw new Error(
      `${file}: id "${meta.id}" does not match file name "${id}"`,
    );
  if (!/^\d{4}-\d{2}-\d{2}$/.test(meta.updated))
    throw new Error(`${file}: updated must be YYYY-MM-DD`);
  return {
    ...meta,
    title: toAscii(meta.title, file),
    owner: toAscii(meta.owner, file),
  };
}

const check = process.argv.includes('--check');
const sources = readdirSync(sourcesDir)
  .filter((f) => f.endsWith('.txt'))
  .sort();
let stale = 0;
for (const file of sources) {
  const id = file.slice(0, -'.txt'.length);
  const meta = readMeta(id);
  const text = toAscii(readFileSync(join(sourcesDir, file), 'utf8'), file);
  const pdf = buildPdf(layout(text), meta);
  const target = join(collateralDir, `${id}.pdf`);
  if (check) {
    const same =
      existsSync(target) && Buffer.compare(readFileSync(target), pdf) === 0;
    if (!same) {
      stale += 1;
      process.stderr.write(`stale: ${target}\n`);
    }
  } else {
    writeFileSync(target, pdf);
    process.stdout.write(`wrote ${target} (${pdf.length} bytes)\n`);
  }
}
if (stale > 0) process.exit(1);
