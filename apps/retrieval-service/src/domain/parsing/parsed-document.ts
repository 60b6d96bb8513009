import type { CharSpan, HiddenKind, SourceFormat } from '../model.js';

/** A heading found in a document's text; `level` 1 is the top. */
export interface Heading extends CharSpan {
  readonly level: number;
  readonly text: string;
}

/** A range of the text that a human reader of the original would not see. */
export interface HiddenRange extends CharSpan {
  readonly kind: HiddenKind;
}

/** Raw metadata values as found in a file, before validation. */
export type RawMetadata = Readonly<Record<string, unknown>>;

/** The result of extracting one source file: text, structure and embedded metadata. */
export interface ParsedDocument {
  readonly format: SourceFormat;
  readonly text: string;
  /** Headings in text order; spans point into `text`. */
  readonly headings: readonly Heading[];
  readonly hidden: readonly HiddenRange[];
  readonly metadata: RawMetadata;
}

/** A source file that cannot be ingested, with every reason found. */
export class DocumentRejection extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(reasons.join('; '));
    this.name = 'DocumentRejection';
  }
}
