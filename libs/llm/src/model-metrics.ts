import { toFieldwiseError } from '@fieldwise/errors';
import type { ModelCallObservation } from '@fieldwise/telemetry';
import type {
  ChatModel,
  ChatModelCallOptions,
  ChatModelEvent,
  ChatModelRequest,
  ChatUsage,
} from './chat-model.js';

/** Where {@link withModelMetrics} reports (a `ServiceMetrics` does). */
export interface ModelCallRecorder {
  observeModelCall(observation: ModelCallObservation): void;
}

/**
 * Wraps a model so every call reports its latency, outcome (`ok` or the
 * error code) and token usage per provider and model. The wrapped model
 * behaves exactly like the original; a stream abandoned by its consumer
 * counts as `CANCELLED`.
 */
export function withModelMetrics(
  model: ChatModel,
  recorder: ModelCallRecorder,
): ChatModel {
  const record = (
    startedAt: number,
    outcome: string,
    usage: ChatUsage | undefined,
  ) => {
    recorder.observeModelCall({
      provider: model.info.provider,
      model: model.info.name,
      outcome,
      durationSeconds: (performance.now() - startedAt) / 1000,
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
    });
  };
  return {
    info: model.info,
    async complete(request, options) {
      const startedAt = performance.now();
      try {
        const result = await model.complete(request, options);
        record(startedAt, 'ok', result.usage);
        return result;
      } catch (error) {
        record(startedAt, toFieldwiseError(error).code, undefined);
        throw error;
      }
    },
    stream(request: ChatModelRequest, options?: ChatModelCallOptions) {
      return (async function* (): AsyncGenerator<ChatModelEvent> {
        const startedAt = performance.now();
        let outcome = 'CANCELLED';
        let usage: ChatUsage | undefined;
        try {
          for await (const event of model.stream(request, options)) {
            if (event.type === 'finish') {
              usage = event.usage;
              outcome = 'ok';
            }
            yield event;
          }
        } catch (error) {
          outcome = toFieldwiseError(error).code;
          throw error;
        } finally {
          record(startedAt, outcome, usage);
        }
      })();
    },
  };
}
