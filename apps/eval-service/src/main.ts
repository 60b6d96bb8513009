import { createConsumerLagReader, TOPICS } from '@fieldwise/events';
import { runGrpcService } from '@fieldwise/grpc';
import { loadEvalConfig } from './config.js';
import { evalServiceOptions } from './server.js';

// Wiring only: configuration, then the shared service runtime with the eval handlers.
const config = loadEvalConfig();
const options = evalServiceOptions(config);
let lagReader: ReturnType<typeof createConsumerLagReader> | undefined;
await runGrpcService({
  name: 'eval',
  config,
  ...options,
  services: async (runtime) => {
    const services = await options.services(runtime);
    if (config.KAFKA_BROKERS.length > 0) {
      // Lag of the feedback intake's group, read from the broker at each scrape.
      const reader = createConsumerLagReader({
        brokers: config.KAFKA_BROKERS,
        groupId: config.EVAL_FEEDBACK_GROUP,
        topics: [TOPICS.feedback],
        logger: runtime.logger,
      });
      lagReader = reader;
      runtime.metrics.addConsumerLag(() => reader.read());
    }
    return services;
  },
  onShutdown: async () => {
    await options.onShutdown();
    await lagReader?.close();
  },
});
