/**
 * Corrects a query term that the corpus never uses to the most frequent
 * corpus term within a small edit distance ("confluant" → "confluent"),
 * comparing against whole terms and, for longer words, term prefixes
 * ("lakehose" → "lakehouse"). Returns the term unchanged when it is known,
 * short, numeric or has no close match.
 */
export function correctTerm(
  term: string,
  vocabulary: ReadonlyMap<string, number>,
): string {
  if (vocabulary.has(term) || term.length < 5 || /\d/.test(term)) return term;
  const budget = term.length >= 8 ? 2 : 1;
  let best = term;
  let bestDistance = budget + 1;
  let bestFrequency = 0;
  for (const [candidate, frequency] of vocabulary) {
    if (
      Math.abs(candidate.length - term.length) > budget + 1 ||
      candidate[0] !== term[0]
    )
      continue;
    const distance = damerauLevenshtein(term, candidate, budget);
    if (
      distance < bestDistance ||
      (distance === bestDistance && frequency > bestFrequency)
    ) {
      best = candidate;
      bestDistance = distance;
      bestFrequency = frequency;
    }
  }
  return bestDistance <= budget ? best : term;
}

/** Optimal string alignment distance, giving up (returning limit + 1) beyond `limit`. */
export function damerauLevenshtein(
  a: string,
  b: string,
  limit: number,
): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Infinity;
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
      }
      row[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
  }
  return (d[rows - 1] as number[])[cols - 1] ?? limit + 1;
}
