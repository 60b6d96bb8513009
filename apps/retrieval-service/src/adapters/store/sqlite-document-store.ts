import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SearchScope } from '../../domain/access.js';
import type {
  ChunkRecord,
  DocumentMetadata,
  DocumentRecord,
  HiddenKind,
  SearchFilters,
  SourceFormat,
} from '../../domain/model.js';
import { wordTokens } from '../../domain/text-tokens.js';
import type { ChunkWithDocument, DocumentStore, LexicalHit } from './port.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS documents (
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  title TEXT NOT NULL,
  type TEXT NOT NULL,
  visibility TEXT NOT NULL,
  products TEXT NOT NULL,
  competitors TEXT NOT NULL,
  industries TEXT NOT NULL,
  regions TEXT NOT NULL,
  owner TEXT NOT NULL,
  updated TEXT NOT NULL,
  format TEXT NOT NULL,
  source_name TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  text TEXT NOT NULL,
  chunk_count INTEGER NOT NULL,
  ingested_at TEXT NOT NULL,
  PRIMARY KEY (tenant, id)
);
CREATE TABLE IF NOT EXISTS chunks (
  rowid INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  title TEXT NOT NULL,
  section_path TEXT NOT NULL,
  text TEXT NOT NULL,
  span_start INTEGER NOT NULL,
  span_end INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  hidden TEXT NOT NULL,
  flagged INTEGER NOT NULL,
  flag_reasons TEXT NOT NULL,
  UNIQUE (tenant, id)
);
CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks (tenant, document_id, ordinal);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
  title, section, keywords, body,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
`;

const PRODUCT_NAMES: Readonly<Record<string, string>> = {
  stream: 'Lumen Stream streaming',
  lakehouse: 'Lumen Lakehouse',
  warehouse: 'Lumen Warehouse',
  'ai-studio': 'Lumen AI Studio',
  govern: 'Lumen Govern governance',
  connect: 'Lumen Connect connectors',
};

interface DocumentRow {
  tenant: string;
  id: string;
  title: string;
  type: string;
  visibility: string;
  products: string;
  competitors: string;
  industries: string;
  regions: string;
  owner: string;
  updated: string;
  format: string;
  source_name: string;
  content_hash: string;
  text: string;
  chunk_count: number;
  ingested_at: string;
}

interface ChunkRow {
  rowid: number;
  tenant: string;
  id: string;
  document_id: string;
  ordinal: number;
  title: string;
  section_path: string;
  text: string;
  span_start: number;
  span_end: number;
  content_hash: string;
  hidden: string;
  flagged: number;
  flag_reasons: string;
}

/**
 * The embedded document store: one SQLite file (better-sqlite3, WAL) holding
 * documents, chunks and an FTS5 index whose BM25 ranking runs with the
 * tenant, visibility and metadata filters inside the same query.
 */
export class SqliteDocumentStore implements DocumentStore {
  private readonly db: Database.Database;
  private vocabularyCache: Map<string, number> | null = null;

  /** Opens (creating if needed) the store at `file`; `':memory:'` for a throwaway one. */
  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
  }

  getDocument(tenant: string, documentId: string): DocumentRecord | undefined {
    const row = this.db
      .prepare<[string, string], DocumentRow>(
        'SELECT * FROM documents WHERE tenant = ? AND id = ?',
      )
      .get(tenant, documentId);
    return row ? { ...toDocument(row), text: row.text } : undefined;
  }

  chunkIds(tenant: string, documentId: string): string[] {
    return this.db
      .prepare<[string, string], { id: string }>(
        'SELECT id FROM chunks WHERE tenant = ? AND document_id = ? ORDER BY ordinal',
      )
      .all(tenant, documentId)
      .map((row) => row.id);
  }

  replaceDocument(
    document: DocumentRecord,
    chunks: readonly ChunkRecord[],
  ): void {
    const m = document.metadata;
    const keywords = [
      m.type.replaceAll('-', ' '),
      ...m.products.map((p) => PRODUCT_NAMES[p] ?? p),
      ...m.competitors,
      ...m.industries,
      ...m.regions,
    ].join(' ');
    const insertChunk = this.db.prepare(
      `INSERT INTO chunks (tenant, id, document_id, ordinal, title, section_path, text,
         span_start, span_end, content_hash, hidden, flagged, flag_reasons)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertFts = this.db.prepare(
      'INSERT INTO chunks_fts (rowid, title, section, keywords, body) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      this.removeDocument(document.tenant, m.id);
      this.db
        .prepare(
          `INSERT INTO documents (tenant, id, title, type, visibility, products, competitors,
             industries, regions, owner, updated, format, source_name, content_hash, text,
             chunk_count, ingested_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          document.tenant,
          m.id,
          m.title,
          m.type,
          m.visibility,
          JSON.stringify(m.products),
          JSON.stringify(m.competitors),
          JSON.stringify(m.industries),
          JSON.stringify(m.regions),
          m.owner,
          m.updated,
          document.format,
          document.sourceName,
          document.contentHash,
          document.text,
          chunks.length,
          document.ingestedAt,
        );
      for (const chunk of chunks) {
        const info = insertChunk.run(
          chunk.tenant,
          chunk.id,
          chunk.documentId,
          chunk.ordinal,
          chunk.title,
          JSON.stringify(chunk.sectionPath),
          chunk.text,
          chunk.span.start,
          chunk.span.end,
          chunk.contentHash,
          JSON.stringify(chunk.hiddenContent),
          chunk.injection.flagged ? 1 : 0,
          JSON.stringify(chunk.injection.reasons),
        );
        insertFts.run(
          info.lastInsertRowid,
          chunk.title,
          chunk.sectionPath.join(' '),
          keywords,
          chunk.text,
        );
      }
    })();
    this.vocabularyCache = null;
  }

  deleteDocument(tenant: string, documentId: string): string[] {
    const removed = this.db.transaction(() =>
      this.removeDocument(tenant, documentId),
    )();
    this.vocabularyCache = null;
    return removed;
  }

  searchLexical(
    terms: readonly string[],
    scope: SearchScope,
    filters: SearchFilters,
    limit: number,
  ): LexicalHit[] {
    const match = terms
      .filter((term) => /^[\p{L}\p{N}]+$/u.test(term))
      .map((term) => `"${term}"`)
      .join(' OR ');
    if (!match || scope.visibleClasses.length === 0) return [];
    const json = (values: readonly string[] | undefined): string | null =>
      values && values.length > 0 ? JSON.stringify(values) : null;
    return this.db
      .prepare<Record<string, string | number | null>, LexicalHit>(
        `WITH matched AS MATERIALIZED (
           SELECT rowid, bm25(chunks_fts, 3.0, 2.0, 1.5, 1.0) AS rank
           FROM chunks_fts WHERE chunks_fts MATCH @match
         )
         SELECT c.id AS chunkId, -m.rank AS score
         FROM matched m
         JOIN chunks c ON c.rowid = m.rowid
         JOIN documents d ON d.tenant = c.tenant AND d.id = c.document_id
         WHERE c.tenant = @tenant
           AND d.visibility IN (SELECT value FROM json_each(@visibility))
           AND (@types IS NULL OR d.type IN (SELECT value FROM json_each(@types)))
           AND (@products IS NULL OR EXISTS (SELECT 1 FROM json_each(d.products) x
                WHERE x.value IN (SELECT value FROM json_each(@products))))
           AND (@competitors IS NULL OR EXISTS (SELECT 1 FROM json_each(d.competitors) x
                WHERE x.value IN (SELECT value FROM json_each(@competitors))))
           AND (@industries IS NULL OR EXISTS (SELECT 1 FROM json_each(d.industries) x
                WHERE x.value IN (SELECT value FROM json_each(@industries))))
           AND (@regions IS NULL OR EXISTS (SELECT 1 FROM json_each(d.regions) x
                WHERE x.value = 'global' OR x.value IN (SELECT value FROM json_each(@regions))))
         ORDER BY m.rank, c.id
         LIMIT @limit`,
      )
      .all({
        match,
        tenant: scope.tenant,
        visibility: JSON.stringify(scope.visibleClasses),
        types: json(filters.type),
        products: json(filters.products),
        competitors: json(filters.competitors),
        industries: json(filters.industries),
        regions: json(filters.regions),
        limit,
      });
  }

  getChunks(ids: readonly string[], scope: SearchScope): ChunkWithDocument[] {
    if (ids.length === 0 || scope.visibleClasses.length === 0) return [];
    const rows = this.db
      .prepare<[string, string, string], ChunkRow & { d: string }>(
        `SELECT c.*, json_object('tenant', d.tenant, 'id', d.id, 'title', d.title, 'type', d.type,
             'visibility', d.visibility, 'products', d.products, 'competitors', d.competitors,
             'industries', d.industries, 'regions', d.regions, 'owner', d.owner,
             'updated', d.updated, 'format', d.format, 'source_name', d.source_name,
             'content_hash', d.content_hash, 'chunk_count', d.chunk_count,
             'ingested_at', d.ingested_at) AS d
         FROM chunks c
         JOIN documents d ON d.tenant = c.tenant AND d.id = c.document_id
         WHERE c.tenant = ? AND c.id IN (SELECT value FROM json_each(?))
           AND d.visibility IN (SELECT value FROM json_each(?))`,
      )
      .all(
        scope.tenant,
        JSON.stringify(ids),
        JSON.stringify(scope.visibleClasses),
      );
    const byId = new Map(
      rows.map((row) => [
        row.id,
        {
          chunk: toChunk(row),
          document: toDocument({
            ...(JSON.parse(row.d) as DocumentRow),
            text: '',
          }),
        },
      ]),
    );
    return ids.flatMap((id) => {
      const found = byId.get(id);
      return found ? [found] : [];
    });
  }

  vocabulary(): ReadonlyMap<string, number> {
    if (this.vocabularyCache) return this.vocabularyCache;
    const counts = new Map<string, number>();
    for (const row of this.db
      .prepare<[], { text: string }>(
        "SELECT title || ' ' || text AS text FROM chunks",
      )
      .iterate()) {
      for (const term of new Set(wordTokens(row.text)))
        counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    this.vocabularyCache = counts;
    return counts;
  }

  listDocumentIds(tenant: string): string[] {
    return this.db
      .prepare<[string], { id: string }>(
        'SELECT id FROM documents WHERE tenant = ? ORDER BY id',
      )
      .all(tenant)
      .map((row) => row.id);
  }

  close(): void {
    this.db.close();
  }

  private removeDocument(tenant: string, documentId: string): string[] {
    const rows = this.db
      .prepare<[string, string], { rowid: number; id: string }>(
        'SELECT rowid, id FROM chunks WHERE tenant = ? AND document_id = ? ORDER BY ordinal',
      )
      .all(tenant, documentId);
    const deleteFts = this.db.prepare('DELETE FROM chunks_fts WHERE rowid = ?');
    for (const row of rows) deleteFts.run(row.rowid);
    this.db
      .prepare('DELETE FROM chunks WHERE tenant = ? AND document_id = ?')
      .run(tenant, documentId);
    this.db
      .prepare('DELETE FROM documents WHERE tenant = ? AND id = ?')
      .run(tenant, documentId);
    return rows.map((row) => row.id);
  }
}

function toDocument(row: DocumentRow): Omit<DocumentRecord, 'text'> {
  const metadata: DocumentMetadata = {
    id: row.id,
    title: row.title,
    type: row.type as DocumentMetadata['type'],
    products: JSON.parse(row.products) as string[],
    competitors: JSON.parse(row.competitors) as string[],
    industries: JSON.parse(row.industries) as string[],
    regions: JSON.parse(row.regions) as string[],
    visibility: row.visibility as DocumentMetadata['visibility'],
    owner: row.owner,
    updated: row.updated,
  };
  return {
    tenant: row.tenant,
    metadata,
    format: row.format as SourceFormat,
    sourceName: row.source_name,
    contentHash: row.content_hash,
    chunkCount: row.chunk_count,
    ingestedAt: row.ingested_at,
  };
}

function toChunk(row: ChunkRow): ChunkRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    documentId: row.document_id,
    ordinal: row.ordinal,
    title: row.title,
    sectionPath: JSON.parse(row.section_path) as string[],
    text: row.text,
    span: { start: row.span_start, end: row.span_end },
    contentHash: row.content_hash,
    hiddenContent: JSON.parse(row.hidden) as HiddenKind[],
    injection: {
      flagged: row.flagged === 1,
      reasons: JSON.parse(row.flag_reasons) as string[],
    },
  };
}
