import {
  AgentServiceService,
  CrmServiceService,
  RetrievalServiceService,
} from '@fieldwise/contracts';
import type { Outbox } from '@fieldwise/events';
import { createGrpcClient } from '@fieldwise/grpc';
import type { Logger } from 'pino';
import type { AgentRunner } from '../../domain/index.js';
import { createCrmUserDirectory } from './crm-user-directory.js';
import { GrpcAgentRunner } from './grpc-agent-runner.js';
import { createImpersonator } from './impersonation.js';
import { createRetrievalEvidence } from './retrieval-evidence.js';

/** Where the services a gRPC run talks to live, and how it signs. */
export interface GrpcRunnerSettings {
  /** host:port of the agent service. */
  readonly agentAddress: string;
  /** host:port of the crm service (territories of case users). */
  readonly crmAddress?: string | undefined;
  /** host:port of the retrieval service (the chunks each turn retrieved). */
  readonly retrievalAddress?: string | undefined;
  /** The shared principal key. */
  readonly key: Uint8Array;
  /** Where impersonation audit events go. */
  readonly outbox: Outbox;
  readonly logger: Logger;
  /** Deadline of one Chat call. */
  readonly chatDeadlineMs?: number;
}

/** Agent runners over gRPC sharing one set of channels. */
export interface GrpcRunnerFactory {
  /** A runner asking the agent with `model` (empty: the agent's default). */
  runnerFor(model?: string): AgentRunner;
  /** Closes the channels. */
  close(): void;
}

/** Opens the clients a {@link GrpcAgentRunner} needs and logs what it will use. */
export function openGrpcRunnerFactory(
  settings: GrpcRunnerSettings,
): GrpcRunnerFactory {
  const clientOptions = { logger: settings.logger };
  const agent = createGrpcClient(
    AgentServiceService,
    settings.agentAddress,
    clientOptions,
  );
  const crm = settings.crmAddress
    ? createGrpcClient(CrmServiceService, settings.crmAddress, clientOptions)
    : undefined;
  const retrieval = settings.retrievalAddress
    ? createGrpcClient(
        RetrievalServiceService,
        settings.retrievalAddress,
        clientOptions,
      )
    : undefined;
  settings.logger.info(
    {
      agent: settings.agentAddress,
      territories: crm ? settings.crmAddress : 'none (CRM_SERVICE_ADDR unset)',
      retrievedChunks: retrieval
        ? settings.retrievalAddress
        : 'not rebuilt (RETRIEVAL_SERVICE_ADDR unset): every citation counts as not retrieved',
    },
    'agent runner: gRPC with evaluation impersonation',
  );
  const impersonator = createImpersonator({
    key: settings.key,
    outbox: settings.outbox,
    logger: settings.logger,
    directory: crm ? createCrmUserDirectory(crm) : undefined,
  });
  const evidence = retrieval ? createRetrievalEvidence(retrieval) : undefined;
  return {
    runnerFor: (model) =>
      new GrpcAgentRunner({
        client: agent,
        impersonator,
        evidence,
        ...(settings.chatDeadlineMs === undefined
          ? {}
          : { deadlineMs: settings.chatDeadlineMs }),
        ...(model ? { model } : {}),
      }),
    close() {
      agent.close();
      crm?.close();
      retrieval?.close();
    },
  };
}
