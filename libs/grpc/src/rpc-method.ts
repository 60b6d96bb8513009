/** Parts of a gRPC method path `/package.Service/Method`. */
export interface RpcMethodName {
  /** `package.Service` */
  readonly service: string;
  /** `Method` */
  readonly method: string;
  /** `package.Service/Method`: the span name OpenTelemetry's RPC conventions ask for. */
  readonly spanName: string;
}

export function parseMethodPath(path: string): RpcMethodName {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return { service: '', method: trimmed, spanName: trimmed };
  return {
    service: trimmed.slice(0, slash),
    method: trimmed.slice(slash + 1),
    spanName: trimmed,
  };
}

const INFRASTRUCTURE_SERVICES: ReadonlySet<string> = new Set([
  'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
]);

/** Health and reflection: open to probes and tools, so no principal, no span. */
export function isInfrastructureMethod(path: string): boolean {
  return INFRASTRUCTURE_SERVICES.has(parseMethodPath(path).service);
}
