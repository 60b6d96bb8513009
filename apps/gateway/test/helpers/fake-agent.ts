import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import {
  AgentServiceService,
  MessageRole,
  PendingActionStatus,
  ToolCallStatus,
  type ChatResponse,
  type FinalAnswer,
  type PendingAction,
} from '@fieldwise/contracts';
import { createPrincipalVerifier } from '@fieldwise/principal';
import {
  implementService,
  startGrpcServer,
  type RunningGrpcServer,
  type ServiceHandlers,
} from '@fieldwise/grpc';
import {
  GrpcAgentClient,
  type AgentClient,
} from '../../src/clients/agent-client.js';

type AgentHandlers = ServiceHandlers<typeof AgentServiceService>;

/** A pending action as the fake agent proposes it. */
export function pendingAction(
  overrides: Partial<PendingAction> = {},
): PendingAction {
  return {
    id: 'act-1',
    tool: 'update_crm_field',
    summary: "Move 'Acme renewal' from Proposal to Negotiation",
    changes: [{ field: 'stage', before: 'Proposal', after: 'Negotiation' }],
    expiresAt: '2030-01-01T00:00:00.000Z',
    status: PendingActionStatus.PENDING,
    conversationId: 'conv-1',
    argumentsJson: '{"stage":"Negotiation"}',
    ...overrides,
  };
}

/** A final answer as the fake agent sends it. */
export function finalAnswer(overrides: Partial<FinalAnswer> = {}): FinalAnswer {
  return {
    conversationId: 'conv-1',
    messageId: 'msg-1',
    answer: 'Acme grew 12% on Streaming.',
    citations: [
      {
        documentId: 'doc-1',
        chunkId: 'doc-1#0',
        title: 'Streaming battlecard',
        sectionPath: 'Objection handling > Pricing',
        snippet: 'Streaming grew 12%',
        charStart: 0,
        charEnd: 18,
      },
    ],
    toolCalls: [
      {
        id: 'call-1',
        name: 'account_360',
        argumentsJson: '{"accountId":"acc-1"}',
        status: ToolCallStatus.EXECUTED,
        summary: 'Acme profile',
        errorCode: '',
        pendingActionId: '',
        durationMs: 3,
      },
    ],
    pendingActions: [],
    model: { provider: 'offline', name: 'offline-planner', offline: true },
    usage: { promptTokens: 100, completionTokens: 20, totalTokens: 120 },
    ...overrides,
  };
}

/** The events of a plain turn: the answer in deltas, then `final`. */
export function turnEvents(
  final: FinalAnswer = finalAnswer(),
  deltas: readonly string[] = [final.answer],
): ChatResponse[] {
  const events: ChatResponse['event'][] = [
    ...deltas.map((text) => ({
      $case: 'delta' as const,
      value: { text },
    })),
    { $case: 'final', value: final },
  ];
  return events.map((event, i) => ({
    conversationId: final.conversationId,
    sequence: i + 1,
    event,
  }));
}

/**
 * An in-memory agent answering every call with canned data, for tests that
 * exercise the gateway's own policies (authorization matrix, fuzzing).
 */
export function cannedAgent(): AgentClient {
  return {
    // eslint-disable-next-line @typescript-eslint/require-await -- an async generator with nothing to await
    async *chat() {
      yield* turnEvents();
    },
    confirmAction: (request) =>
      Promise.resolve({
        action: pendingAction({
          id: request.actionId,
          status: PendingActionStatus.EXECUTED,
        }),
        resultJson: '{"version":2}',
        errorCode: '',
      }),
    rejectAction: (request) =>
      Promise.resolve({
        action: pendingAction({
          id: request.actionId,
          status: PendingActionStatus.REJECTED,
        }),
      }),
    listConversations: () =>
      Promise.resolve({
        conversations: [],
        page: { nextPageToken: '', totalSize: 0 },
      }),
    getConversation: (request) =>
      Promise.resolve({
        conversation: {
          id: request.conversationId,
          title: 'Acme',
          userId: 'u-seller-1',
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
          messages: [
            {
              id: 'msg-0',
              role: MessageRole.USER,
              content: 'How is Acme?',
              createdAt: '2026-01-01T00:00:00.000Z',
              citations: [],
              toolCalls: [],
              pendingActions: [],
            },
          ],
        },
      }),
    submitFeedback: () =>
      Promise.resolve({
        feedbackId: 'fb-1',
        receivedAt: '2026-01-01T00:00:00.000Z',
      }),
  };
}

/** A fake agent gRPC service in this process, and a real client for it. */
export interface FakeAgentServer {
  readonly server: RunningGrpcServer;
  readonly address: string;
  /** The key the service trusts: sign gateway principals with it. */
  readonly principalKey: Uint8Array;
  readonly client: GrpcAgentClient;
  stop(): Promise<void>;
}

const unimplemented = () => {
  throw new Error('not scripted');
};

/**
 * Starts the agent contract on a free port with the given handlers (the
 * rest throw), behind the real server interceptor: principal verification,
 * deadlines and trace context work as in production.
 */
export async function startFakeAgent(
  handlers: Partial<AgentHandlers>,
  options: { chatDeadlineMs?: number } = {},
): Promise<FakeAgentServer> {
  const principalKey = new Uint8Array(randomBytes(32));
  const logger = pino({ level: 'silent' });
  const server = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    services: [
      implementService(AgentServiceService, {
        chat: unimplemented,
        confirmAction: unimplemented,
        rejectAction: unimplemented,
        listConversations: unimplemented,
        getConversation: unimplemented,
        submitFeedback: unimplemented,
        listModels: unimplemented,
        getModelInfo: unimplemented,
        ...handlers,
      }),
    ],
    verifier: createPrincipalVerifier({ key: principalKey }),
    logger,
  });
  const address = `127.0.0.1:${server.port}`;
  const client = new GrpcAgentClient(address, {
    deadlineMs: 5_000,
    chatDeadlineMs: options.chatDeadlineMs ?? 10_000,
    logger,
  });
  return {
    server,
    address,
    principalKey,
    client,
    stop: async () => {
      client.close();
      await server.drain({ timeoutMs: 1_000 });
    },
  };
}
