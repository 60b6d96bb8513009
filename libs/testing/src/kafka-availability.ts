import { spawnSync } from 'node:child_process';

/** Whether this machine can run the local Kafka broker, and if not, why. */
export interface KafkaAvailability {
  readonly available: boolean;
  readonly reason?: string;
}

const MIN_JAVA_MAJOR = 17;

/**
 * Checks that a Java 17+ runtime is on the PATH, which the Kafka 4 broker
 * needs. Maven is only needed on the first start (to fill the jar cache), so
 * its absence surfaces as a start error rather than here. `javaCommand`
 * overrides the executable probed (default `java` on the PATH).
 */
export function kafkaAvailability(
  options: { readonly javaCommand?: string } = {},
): KafkaAvailability {
  const result = spawnSync(options.javaCommand ?? 'java', ['-version'], {
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) {
    return {
      available: false,
      reason: 'no Java runtime on PATH (Kafka 4 needs Java 17+)',
    };
  }
  const match = /version "(\d+)/.exec(`${result.stderr}${result.stdout}`);
  const major = match?.[1] === undefined ? NaN : Number(match[1]);
  if (!Number.isInteger(major) || major < MIN_JAVA_MAJOR) {
    return {
      available: false,
      reason: `Java ${Number.isNaN(major) ? 'of unknown version' : major} found; Kafka 4 needs Java ${MIN_JAVA_MAJOR}+`,
    };
  }
  return { available: true };
}
