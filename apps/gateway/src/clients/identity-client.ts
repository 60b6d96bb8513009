import type { Context } from '@opentelemetry/api';

/** The backend services the gateway can ask "who am I?". */
export const SERVICE_NAMES = ['agent', 'crm', 'retrieval', 'eval'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** What a backend service saw of a call: the verified principal and its trace. */
export interface ServiceIdentity {
  service: string;
  principal: {
    userId: string;
    tenant: string;
    roles: string[];
    territories: string[];
  };
  traceId: string;
  spanId: string;
  receivedAt: string;
}

/** Per-call facts every downstream call carries. */
export interface DownstreamCall {
  /** Gateway-signed principal token for the end user. */
  principalToken: string;
  /** OpenTelemetry context of the request, so the call joins its trace. */
  context: Context;
}

/** Port: ask a backend service which principal and trace it received. */
export interface IdentityClient {
  whoAmI(service: ServiceName, call: DownstreamCall): Promise<ServiceIdentity>;
}
