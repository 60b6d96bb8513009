/** Small text helpers shared by the router, the entity extraction and the answers. */

/** Words that carry no intent; ignored by the router and the name extraction. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about an and any are as at be by can could do does for from get give ' +
    'have how i in is it its me my of on or our please pull show that ' +
    'the their them there these this those to up us we what whats when where ' +
    'which who will with would you your yours quick quickly just also some ' +
    "need want let lets see i'm im should before after all"
  ).split(' '),
);

/** Lower-cased word tokens (letters, digits, `$`, `%`, `.` inside numbers). */
export function wordTokens(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKC')
      .match(/[a-z0-9$%]+(?:[.'-][a-z0-9]+)*/g) ?? []
  );
}

/** A crude singular form, so "cases" and "case" share features. */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss'))
    return word.slice(0, -1);
  return word;
}

/** Content words of a text: tokens minus stopwords, stemmed. */
export function contentWords(text: string): string[] {
  return wordTokens(text)
    .filter((w) => !STOPWORDS.has(w))
    .map(stem);
}
