import { afterAll, beforeAll, describe, it } from 'vitest';
import { kafkaAvailability } from './kafka-availability.js';
import {
  startKafkaBroker,
  type KafkaBroker,
  type KafkaBrokerOptions,
} from './kafka-broker.js';

/** Gives the tests of a {@link describeWithKafka} block their broker. */
export interface KafkaTestContext {
  /** The running broker; throws if called outside a test or hook. */
  readonly broker: () => KafkaBroker;
}

/**
 * A `describe` block whose tests share one real Kafka broker started for it
 * (in `beforeAll`) and disposed after it. Where Kafka cannot run (no Java
 * 17+), the block becomes one skipped test whose name says why; under CI
 * (`process.env.CI` set) it becomes a failing test instead, so a CI machine
 * without Java can never pass by skipping.
 */
export function describeWithKafka(
  name: string,
  body: (context: KafkaTestContext) => void,
  options: KafkaBrokerOptions = {},
): void {
  const availability = kafkaAvailability();
  if (!availability.available) {
    const reason = availability.reason ?? 'Kafka cannot run here';
    describe(name, () => {
      if (process.env.CI) {
        it(`needs a Kafka broker, but ${reason}`, () => {
          throw new Error(`Kafka tests cannot run under CI: ${reason}`);
        });
      } else {
        it.skip(`skipped: needs a Kafka broker, but ${reason}`, () => {});
      }
    });
    return;
  }
  describe(name, () => {
    let broker: KafkaBroker | undefined;
    beforeAll(async () => {
      broker = await startKafkaBroker(options);
    });
    afterAll(async () => {
      await broker?.dispose();
    });
    body({
      broker: () => {
        if (broker === undefined) {
          throw new Error('the Kafka broker is not running (yet)');
        }
        return broker;
      },
    });
  });
}
