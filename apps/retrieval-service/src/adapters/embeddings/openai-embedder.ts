import { DependencyUnavailableError, FieldwiseError } from '@fieldwise/errors';
import OpenAI, { AzureOpenAI } from 'openai';
import type { Logger } from 'pino';
import type { Embedder } from './port.js';

/** Settings of the OpenAI-protocol embedder. */
export interface OpenAiEmbedderOptions {
  readonly model: string;
  /** Expected vector length; every response is checked against it. */
  readonly dimensions: number;
  readonly apiKey: string;
  /** For OpenAI-compatible servers (vLLM, TEI, Ollama); omit for api.openai.com. */
  readonly baseURL?: string;
  /** Azure OpenAI: endpoint, API version and deployment; selects the Azure client. */
  readonly azure?: {
    readonly endpoint: string;
    readonly apiVersion: string;
    readonly deployment: string;
  };
  /** Ask the server for this many dimensions (models that support shortening). */
  readonly requestDimensions?: boolean;
  /** Texts per request. */
  readonly batchSize?: number;
  /** Retries after a 408/409/429/5xx or a connection error, with exponential backoff. */
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  readonly logger: Logger;
}

/**
 * Embeddings through the `openai` SDK (OpenAI, Azure OpenAI or any server
 * speaking the embeddings protocol). Requests are batched; the SDK retries
 * transient failures with exponential backoff and honours `Retry-After`.
 * A response with the wrong number or length of vectors is an error, never
 * silently stored.
 */
export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    this.model = options.model;
    this.dimensions = options.dimensions;
    const common = {
      apiKey: options.apiKey,
      maxRetries: options.maxRetries ?? 3,
      timeout: options.timeoutMs ?? 30_000,
    };
    this.client = options.azure
      ? new AzureOpenAI({
          ...common,
          endpoint: options.azure.endpoint,
          apiVersion: options.azure.apiVersion,
          deployment: options.azure.deployment,
        })
      : new OpenAI({
          ...common,
          ...(options.baseURL ? { baseURL: options.baseURL } : {}),
        });
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const batchSize = this.options.batchSize ?? 96;
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      const batch = texts.slice(i, i + batchSize);
      vectors.push(...(await this.embedBatch(batch)));
    }
    return vectors;
  }

  private async embedBatch(batch: readonly string[]): Promise<Float32Array[]> {
    let response: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      response = await this.client.embeddings.create({
        model: this.model,
        input: [...batch],
        encoding_format: 'float',
        ...(this.options.requestDimensions
          ? { dimensions: this.dimensions }
          : {}),
      });
    } catch (error) {
      this.options.logger.warn(
        { err: error, model: this.model },
        'embedding request failed',
      );
      if (
        error instanceof OpenAI.APIError &&
        error.status !== undefined &&
        error.status < 500 &&
        error.status !== 429 &&
        error.status !== 408
      ) {
        throw new FieldwiseError(
          'INTERNAL',
          `embedding request rejected with status ${error.status}`,
          {
            cause: error,
            context: { model: this.model, status: Number(error.status) },
          },
        );
      }
      throw new DependencyUnavailableError('embeddings', error);
    }
    if (response.data.length !== batch.length) {
      throw new FieldwiseError(
        'INTERNAL',
        `embedding server returned ${response.data.length} vectors for ${batch.length} texts`,
        {
          context: { model: this.model },
        },
      );
    }
    const ordered = [...response.data].sort((a, b) => a.index - b.index);
    return ordered.map((item) => {
      if (
        !Array.isArray(item.embedding) ||
        item.embedding.length !== this.dimensions
      ) {
        throw new FieldwiseError(
          'INTERNAL',
          `embedding has ${Array.isArray(item.embedding) ? item.embedding.length : 'no'} dimensions; expected ${this.dimensions}`,
          { context: { model: this.model } },
        );
      }
      return Float32Array.from(item.embedding);
    });
  }
}
