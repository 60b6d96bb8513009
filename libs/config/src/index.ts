export { baseServiceEnv } from './base-service-env.js';
export { deepFreeze, type DeepReadonly } from './deep-freeze.js';
export { describeEnv, formatEnvTable, type EnvRow } from './describe-env.js';
export {
  LOG_LEVELS,
  bool,
  csv,
  dataDir,
  duration,
  host,
  int,
  logLevel,
  oneOf,
  optionalSecret,
  optionalText,
  optionalUrl,
  parseDuration,
  port,
  secret,
  text,
  url,
  type DurationBounds,
  type LogLevel,
  type SecretOptions,
  type UrlOptions,
} from './env-fields.js';
export { telemetrySetting, type EnvFieldMeta } from './env-metadata.js';
export {
  configWarnings,
  loadConfig,
  loadConfigWithWarnings,
  type ConfigWarning,
  type EnvSource,
  type LoadedConfig,
} from './load-config.js';
