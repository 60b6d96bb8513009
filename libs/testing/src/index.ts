export { freePort } from './free-port.js';
export {
  kafkaAvailability,
  type KafkaAvailability,
} from './kafka-availability.js';
export {
  startKafkaBroker,
  type KafkaBroker,
  type KafkaBrokerOptions,
} from './kafka-broker.js';
export {
  describeWithKafka,
  type KafkaTestContext,
} from './describe-with-kafka.js';
export { waitFor, type WaitForOptions } from './wait-for.js';
export {
  describeServiceRuntime,
  type TestServiceEnv,
} from './describe-service-runtime.js';
