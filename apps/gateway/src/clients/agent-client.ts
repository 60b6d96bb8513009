import { context as otelContext } from '@opentelemetry/api';
import {
  AgentServiceService,
  type ChatRequest,
  type ChatResponse,
  type ConfirmActionRequest,
  type ConfirmActionResponse,
  type GetConversationRequest,
  type GetConversationResponse,
  type ListConversationsRequest,
  type ListConversationsResponse,
  type RejectActionRequest,
  type RejectActionResponse,
  type SubmitFeedbackRequest,
  type SubmitFeedbackResponse,
} from '@fieldwise/contracts';
import { createGrpcClient, type GrpcServiceClient } from '@fieldwise/grpc';
import type { Logger } from 'pino';
import type { DownstreamCall } from './identity-client.js';

/** Per-call facts of an agent call: principal, trace, and cancellation. */
export interface AgentCall extends DownstreamCall {
  /** Aborting it cancels the gRPC call (CANCELLED reaches the agent). */
  readonly signal?: AbortSignal;
}

/**
 * Port: the agent service as the gateway's routes use it. Errors are
 * FieldwiseErrors decoded from the gRPC status (see `fromGrpcError`), so the
 * problem plugin maps them to HTTP with their catalogue code.
 */
export interface AgentClient {
  /**
   * One chat turn as the agent streams it. Leaving the loop early (or
   * aborting `call.signal`) cancels the call.
   */
  chat(request: ChatRequest, call: AgentCall): AsyncIterable<ChatResponse>;
  confirmAction(
    request: ConfirmActionRequest,
    call: AgentCall,
  ): Promise<ConfirmActionResponse>;
  rejectAction(
    request: RejectActionRequest,
    call: AgentCall,
  ): Promise<RejectActionResponse>;
  listConversations(
    request: ListConversationsRequest,
    call: AgentCall,
  ): Promise<ListConversationsResponse>;
  getConversation(
    request: GetConversationRequest,
    call: AgentCall,
  ): Promise<GetConversationResponse>;
  submitFeedback(
    request: SubmitFeedbackRequest,
    call: AgentCall,
  ): Promise<SubmitFeedbackResponse>;
}

/** Options of {@link GrpcAgentClient}. */
export interface GrpcAgentClientOptions {
  /** Deadline of unary calls. */
  readonly deadlineMs: number;
  /** Deadline of a whole chat turn (model and tool calls included). */
  readonly chatDeadlineMs: number;
  readonly logger: Logger;
}

type AgentGrpc = GrpcServiceClient<typeof AgentServiceService>;

/**
 * The agent service over gRPC. Every call carries the gateway-signed
 * principal and runs in the request's OpenTelemetry context, so the agent's
 * spans join the gateway's trace. Reads are retried on UNAVAILABLE; chat,
 * decisions and feedback are not (they are not idempotent for the caller).
 */
export class GrpcAgentClient implements AgentClient {
  private readonly client: AgentGrpc;

  constructor(
    address: string,
    private readonly options: GrpcAgentClientOptions,
  ) {
    this.client = createGrpcClient(AgentServiceService, address, {
      defaultDeadlineMs: options.deadlineMs,
      logger: options.logger,
    });
  }

  async *chat(
    request: ChatRequest,
    call: AgentCall,
  ): AsyncGenerator<ChatResponse, void, undefined> {
    const stream = this.client.chat(request, {
      principalToken: call.principalToken,
      deadlineMs: this.options.chatDeadlineMs,
      ...(call.signal ? { signal: call.signal } : {}),
    });
    try {
      for (;;) {
        // The call starts on the first `next()`: run each step in the
        // request's context so the CLIENT span is the request span's child.
        const step = await otelContext.with(call.context, () => stream.next());
        if (step.done) return;
        yield step.value;
      }
    } finally {
      await stream.return(undefined);
    }
  }

  confirmAction(
    request: ConfirmActionRequest,
    call: AgentCall,
  ): Promise<ConfirmActionResponse> {
    return otelContext.with(call.context, () =>
      this.client.confirmAction(request, this.callOptions(call, false)),
    );
  }

  rejectAction(
    request: RejectActionRequest,
    call: AgentCall,
  ): Promise<RejectActionResponse> {
    return otelContext.with(call.context, () =>
      this.client.rejectAction(request, this.callOptions(call, false)),
    );
  }

  listConversations(
    request: ListConversationsRequest,
    call: AgentCall,
  ): Promise<ListConversationsResponse> {
    return otelContext.with(call.context, () =>
      this.client.listConversations(request, this.callOptions(call, true)),
    );
  }

  getConversation(
    request: GetConversationRequest,
    call: AgentCall,
  ): Promise<GetConversationResponse> {
    return otelContext.with(call.context, () =>
      this.client.getConversation(request, this.callOptions(call, true)),
    );
  }

  submitFeedback(
    request: SubmitFeedbackRequest,
    call: AgentCall,
  ): Promise<SubmitFeedbackResponse> {
    return otelContext.with(call.context, () =>
      this.client.submitFeedback(request, this.callOptions(call, false)),
    );
  }

  close(): void {
    this.client.close();
  }

  private callOptions(call: AgentCall, idempotent: boolean) {
    return {
      principalToken: call.principalToken,
      idempotent,
      ...(call.signal ? { signal: call.signal } : {}),
    };
  }
}
