import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { context } from '@opentelemetry/api';
import type { ChatRequest, FinalAnswer } from '@fieldwise/contracts';
import { FieldwiseError } from '@fieldwise/errors';
import type { AgentClient } from '../../../clients/agent-client.js';
import { CHAT_STREAM_WINDOW } from '../../../guardrails/stream-window.js';
import { toProblem } from '../../../plugins/app/problem.js';
import {
  chatAnswerSchema,
  tokensOf,
  toChatAnswer,
  type ChatAnswer,
} from '../../../schemas/assistant.js';
import { problemSchema, standardErrors } from '../../../schemas/problem.js';
import { openEventStream, type EventStream } from './event-stream.js';
import { agentFailure, relayChatStream } from './relay-stream.js';

const chatBody = z
  .object({
    message: z
      .string()
      .trim()
      .min(1)
      .max(8000)
      .describe('The user message, plain text'),
    conversationId: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe('Conversation to continue; omitted starts a new one'),
    accountId: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe(
        'Account the calling app is focused on: a hint for entity resolution, not a permission',
      ),
    model: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe('Model name from GET /v1/models; omitted uses the default'),
  })
  .strict();

/** Options of {@link chatRoutes}. */
export interface ChatRouteOptions {
  readonly agent: AgentClient;
}

function wantsEventStream(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && /\btext\/event-stream\b/i.test(accept);
}

/**
 * `POST /v1/chat`: one turn with the driver agent, as JSON or as
 * server-sent events (`Accept: text/event-stream`). The model-token budget is
 * checked before the call (rate-limit plugin, `tokenBudget`) and charged
 * with the usage the agent reports. Input guardrails run on `message`;
 * output guardrails on the answer (whole for JSON, in windows before any
 * text is flushed for SSE). Open streams end with a retryable `error`
 * event when the gateway closes.
 */
export const chatRoutes: FastifyPluginCallback<ChatRouteOptions> = (
  app,
  options,
  done,
) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const open = new Set<(error: FieldwiseError) => void>();

  // Before the server stops accepting: streams say "retry later" and end,
  // so `close()` is not held open by them.
  app.addHook('preClose', (done) => {
    const closing = new FieldwiseError(
      'SHUTTING_DOWN',
      'The gateway is shutting down; retry the request',
      { retryAfterSeconds: 1 },
    );
    for (const stop of open) stop(closing);
    done();
  });

  function agentRequest(body: z.infer<typeof chatBody>): ChatRequest {
    return {
      message: body.message,
      conversationId: body.conversationId ?? '',
      accountId: body.accountId ?? '',
      model: body.model ?? '',
      evalRunId: '',
    };
  }

  async function charge(
    request: FastifyRequest,
    final: FinalAnswer,
  ): Promise<void> {
    const principal = await request.authenticate();
    await request.server.tokenBudget.consume(principal, tokensOf(final.usage));
  }

  async function answerJson(
    request: FastifyRequest,
    reply: FastifyReply,
    body: z.infer<typeof chatBody>,
  ): Promise<ChatAnswer> {
    // A client that leaves before the answer cancels the turn.
    const abort = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) abort.abort();
    };
    reply.raw.once('close', onClose);
    try {
      const events = options.agent.chat(agentRequest(body), {
        principalToken: await request.principalToken(),
        context: request.otelContext ?? context.active(),
        signal: abort.signal,
      });
      for await (const message of events) {
        const event = message.event;
        if (event?.$case === 'final') {
          await charge(request, event.value);
          // `answer` goes through the output guardrails on serialization.
          return toChatAnswer(event.value);
        }
        if (event?.$case === 'error') {
          throw agentFailure(event.value);
        }
      }
      throw new FieldwiseError(
        'INTERNAL',
        'The agent ended the turn without an answer',
      );
    } finally {
      reply.raw.off('close', onClose);
    }
  }

  async function answerStream(
    request: FastifyRequest,
    reply: FastifyReply,
    body: z.infer<typeof chatBody>,
  ): Promise<void> {
    const principalToken = await request.principalToken();
    const stream: EventStream = openEventStream(reply);
    const upstream = new AbortController();
    stream.clientGone.addEventListener('abort', () => upstream.abort(), {
      once: true,
    });
    const traceId = request.span?.spanContext().traceId ?? '';
    const instance = request.url.split('?')[0] ?? request.url;
    const sendError = (error: unknown, retryable: boolean): void => {
      const problem = toProblem(error, instance, traceId);
      request.problemCode = problem.code;
      stream.send('error', { ...problem, retryable });
    };
    const stop = (error: FieldwiseError): void => {
      sendError(error, true);
      stream.end();
      upstream.abort();
    };
    open.add(stop);
    try {
      const outcome = await relayChatStream({
        events: options.agent.chat(agentRequest(body), {
          principalToken,
          context: request.otelContext ?? context.active(),
          signal: upstream.signal,
        }),
        guard: request.server.guardOutputStream(request, CHAT_STREAM_WINDOW),
        stream,
        sendError,
        charge: (final) => charge(request, final),
      });
      if (stream.clientGone.aborted) {
        request.log.info('chat stream cancelled by the client');
      } else if (outcome.errorCode) {
        request.log.info({ code: outcome.errorCode }, 'chat stream failed');
      }
    } finally {
      open.delete(stop);
      upstream.abort();
      stream.end();
    }
  }

  typed.post(
    '/chat',
    {
      config: {
        tokenBudget: true,
        guardrails: { body: ['message'], output: ['answer'] },
      },
      schema: {
        summary: 'Ask the assistant (JSON or server-sent events)',
        description:
          'With `Accept: text/event-stream` the answer streams as SSE events `delta` ({text}), `tool_call`, `tool_result`, `citation`, `confirmation_required`, then exactly one `final` (this JSON body) or `error` (problem details plus `retryable`). Streamed text is released only after the output guardrails checked it; a block ends the stream with an `error` whose code is GUARDRAIL_BLOCKED.',
        tags: ['assistant'],
        body: chatBody,
        response: {
          200: chatAnswerSchema,
          ...standardErrors,
          404: problemSchema,
          422: problemSchema,
          504: problemSchema,
        },
      },
    },
    async (request, reply) => {
      if (!wantsEventStream(request))
        return answerJson(request, reply, request.body);
      await answerStream(request, reply, request.body);
      return reply;
    },
  );
  done();
};
