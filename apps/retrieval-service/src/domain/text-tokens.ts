/** Lower-cased word tokens (letters and digits) of a text, in order. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** English function words that carry no retrieval signal. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be because been before being
  below between both but by can could did do does doing down during each few for from further had
  has have having he her here hers herself him himself his how i if in into is it its itself just
  me more most my myself no nor not now of off on once only or other our ours ourselves out over
  own same she should so some such than that the their theirs them themselves then there these they
  this those through to too under until up very was we were what when where which while who whom
  why will with would you your yours yourself yourselves s t d ll m re ve y don didn doesn isn wasn
  weren won wouldn shouldn couldn aren hasn haven hadn mustn needn i'm we're they'll let lets get
  got us say says said tell give need want use using one also may might must shall`
    .split(/\s+/)
    .filter((word) => word !== ''),
);

/** The content terms of a query: word tokens without stopwords, de-duplicated, in order. */
export function queryTerms(query: string): string[] {
  return [...new Set(wordTokens(query).filter((term) => !STOPWORDS.has(term)))];
}
