export { devParams, productionParams, ENVIRONMENTS } from './environments.js';
export {
  PATHS,
  RUNTIME_ENV,
  mebibytes,
  serviceAddress,
  serviceEnv,
  shutdownGraceSeconds,
} from './env.js';
export { COMMON_LABELS, NAME_LABEL, selectorLabels } from './labels.js';
export { networkPoliciesOf } from './network-policies.js';
export {
  SECRET_KEYS,
  type DeployParams,
  type Endpoint,
  type ModelParams,
  type Peer,
  type PolicyMode,
  type Resources,
  type Scaling,
  type ServiceName,
  type ServiceParams,
} from './params.js';
export {
  RENDERED_DIR,
  REPO_ROOT,
  buildEnvironment,
  diffRendered,
  listYaml,
  readConfigFiles,
  renderAll,
  toYaml,
  validateObjects,
  type KubeObject,
  type ManifestFile,
  type RenderDiff,
} from './render.js';
export {
  METRICS_PORT,
  SERVICES,
  serviceSpec,
  type Dependency,
  type ServiceSpec,
} from './services.js';
export { configMapsOf, ingressOf, namespaceOf } from './shared-objects.js';
export {
  CONFIG_MAPS,
  RUN_AS,
  autoscalerOf,
  deploymentOf,
  disruptionBudgetOf,
  imageOf,
  serviceAccountOf,
  serviceOf,
  type ConfigFiles,
} from './workloads.js';
export {
  inCidr,
  isAllowed,
  type Connection,
  type ExternalEndpoint,
  type NetworkEndpoint,
  type PodEndpoint,
} from './reachability.js';
