import { AgentServiceService } from '@fieldwise/contracts';
import { implementService, type ServiceRegistration } from '@fieldwise/grpc';
import { actionHandlers } from './handlers/actions.js';
import { chatHandler } from './handlers/chat.js';
import { conversationHandlers } from './handlers/conversations.js';
import { feedbackHandlers } from './handlers/feedback.js';
import type { AgentHandlerDeps } from './handlers/handler-deps.js';
import { modelHandlers } from './handlers/models.js';

export type { AgentHandlerDeps } from './handlers/handler-deps.js';

/**
 * The agent's gRPC registrations (`fieldwise.agent.v1.AgentService`), ready
 * for `runGrpcService`. Builds nothing that listens or opens files.
 */
export function buildAgentServices(
  deps: AgentHandlerDeps,
): ServiceRegistration[] {
  return [
    implementService(AgentServiceService, {
      chat: chatHandler(deps),
      ...actionHandlers(deps),
      ...conversationHandlers(deps),
      ...feedbackHandlers(deps),
      ...modelHandlers(deps),
    }),
  ];
}
