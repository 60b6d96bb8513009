import type { Logger } from 'pino';
import { OpenAiEmbedder } from './openai-embedder.js';
import type { Embedder } from './port.js';
import { WordVectorEmbedder } from './word-vector-embedder.js';

/** How to build the embedder: an embeddings API when `openai` is set, else local word vectors. */
export interface EmbedderConfig {
  /** Directory for the word-vector cache (under the data dir). */
  readonly cacheDir: string;
  readonly openai?: {
    readonly model: string;
    readonly dimensions: number;
    readonly apiKey: string;
    readonly baseURL?: string;
    readonly azure?: {
      readonly endpoint: string;
      readonly apiVersion: string;
      readonly deployment: string;
    };
  };
}

/** Builds the configured embedder and logs which adapter was chosen. */
export function createEmbedder(
  config: EmbedderConfig,
  logger: Logger,
): Embedder {
  if (config.openai) {
    const adapter = config.openai.azure ? 'azure-openai' : 'openai';
    logger.info(
      { adapter, model: config.openai.model },
      'embedder adapter chosen',
    );
    return new OpenAiEmbedder({ ...config.openai, logger });
  }
  const embedder = WordVectorEmbedder.open({
    cacheDir: config.cacheDir,
    logger,
  });
  logger.info(
    { adapter: 'word-vectors', model: embedder.model },
    'embedder adapter chosen',
  );
  return embedder;
}

export type { Embedder } from './port.js';
export {
  OpenAiEmbedder,
  type OpenAiEmbedderOptions,
} from './openai-embedder.js';
export {
  WordVectorEmbedder,
  type WordVectorEmbedderOptions,
} from './word-vector-embedder.js';
