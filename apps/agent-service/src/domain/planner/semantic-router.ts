import { DEFAULT_TOOL_EXAMPLES } from './default-tool-examples.js';
import { cosine, createHashedEmbedder } from './hashed-embedder.js';
import { ruleIntent } from './intent-rules.js';
import type { Embedder } from './ports.js';
import { contentWords } from './text-features.js';

/** A tool the router may pick: its name and model-facing description. */
export interface RoutableTool {
  readonly name: string;
  readonly description: string;
}

/** A tool picked for a request, with the similarity that chose it. */
export interface RoutedTool {
  readonly name: string;
  /** Cosine similarity (0..1) of the best-matching example; 1 for a rule. */
  readonly score: number;
  /** `rule` for keyword/intent rules, `semantic` for embedding similarity. */
  readonly by: 'rule' | 'semantic';
}

/** Picks the tools a request needs. */
export interface SemanticRouter {
  /** Tools in the order they should run; empty when nothing fits. */
  route(message: string): Promise<RoutedTool[]>;
}

/** Options of {@link createSemanticRouter}. */
export interface SemanticRouterOptions {
  readonly tools: readonly RoutableTool[];
  /** Seller phrasings per tool name, merged with the built-in defaults. */
  readonly examples?: Readonly<Record<string, readonly string[]>>;
  /** Defaults to a {@link createHashedEmbedder} fitted on the examples. */
  readonly embedder?: Embedder;
}

/** Below this the best tool for the whole request is not trusted. */
const MIN_SCORE = 0.12;
/** A clause of a multi-intent request adds its tool only at or above this. */
const CLAUSE_MIN_SCORE = 0.3;
/** Where a question that fits no tool goes: the knowledge base. */
const FALLBACK_TOOL = 'search_collateral';

function isQuestion(message: string): boolean {
  return (
    /\?\s*$/.test(message) ||
    /^\s*(what|how|who|which|when|where|why|is|are|does|do|can)\b/i.test(
      message,
    )
  );
}

interface ExampleVector {
  readonly tool: string;
  readonly vector: Float32Array;
}

/**
 * Creates a semantic router over `tools`. Write intents and meeting
 * summaries are decided by rules (a wrong guess there costs more than a
 * miss); everything else by similarity between the request and each tool's
 * description and examples, per clause, so "360 and hygiene for Acme"
 * yields both tools. Only tools in `tools` are ever returned.
 */
export function createSemanticRouter(
  options: SemanticRouterOptions,
): SemanticRouter {
  const offered = new Set(options.tools.map((t) => t.name));
  const corpus = options.tools.map((tool) => ({
    tool: tool.name,
    texts: [
      tool.description,
      ...(DEFAULT_TOOL_EXAMPLES[tool.name] ?? []),
      ...(options.examples?.[tool.name] ?? []),
    ].filter((t) => t.trim() !== ''),
  }));
  const embedder =
    options.embedder ??
    createHashedEmbedder({ idfCorpus: corpus.flatMap((c) => c.texts) });
  let indexed: Promise<ExampleVector[]> | undefined;
  const index = (): Promise<ExampleVector[]> => {
    indexed ??= (async () => {
      const texts = corpus.flatMap((c) => c.texts);
      const owners = corpus.flatMap((c) => c.texts.map(() => c.tool));
      const vectors = await embedder.embed(texts);
      return vectors.map((vector, i) => ({ tool: owners[i] ?? '', vector }));
    })();
    return indexed;
  };

  const scoreTools = async (
    texts: readonly string[],
  ): Promise<Map<string, number>[]> => {
    const examples = await index();
    const vectors = await embedder.embed(texts);
    return vectors.map((v) => {
      const best = new Map<string, number>();
      for (const example of examples) {
        const s = cosine(v, example.vector);
        if (s > (best.get(example.tool) ?? -1)) best.set(example.tool, s);
      }
      return best;
    });
  };

  return {
    async route(message) {
      const rule = ruleIntent(message);
      if (rule !== undefined && offered.has(rule)) {
        return [{ name: rule, score: 1, by: 'rule' }];
      }
      const clauses = splitClauses(message);
      const scored = await scoreTools([message, ...clauses]);
      const picked: RoutedTool[] = [];
      const add = (scores: Map<string, number> | undefined, min: number) => {
        const top = topOf(scores);
        if (top && top.score >= min && !picked.some((p) => p.name === top.name))
          picked.push({ ...top, by: 'semantic' });
      };
      if (clauses.length > 1) {
        for (const clauseScores of scored.slice(1))
          add(clauseScores, CLAUSE_MIN_SCORE);
      }
      if (picked.length === 0) add(scored[0], MIN_SCORE);
      // A question nothing else fits is most likely about the collateral.
      if (
        picked.length === 0 &&
        offered.has(FALLBACK_TOOL) &&
        isQuestion(message)
      ) {
        picked.push({ name: FALLBACK_TOOL, score: 0, by: 'rule' });
      }
      return picked;
    },
  };
}

function topOf(
  scores: Map<string, number> | undefined,
): { name: string; score: number } | undefined {
  let top: { name: string; score: number } | undefined;
  for (const [name, score] of scores ?? []) {
    if (!top || score > top.score) top = { name, score };
  }
  return top;
}

/**
 * Splits a request at "and", "plus", "as well as", commas and semicolons;
 * clauses without a content word are dropped.
 */
export function splitClauses(message: string): string[] {
  return message
    .split(/\b(?:and|plus|also|as well as|then)\b|[,;&+]/i)
    .map((c) => c.trim())
    .filter((c) => contentWords(c).length > 0);
}
