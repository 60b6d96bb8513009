import { describe, expect, it } from 'vitest';
import {
  ChatResponse,
  PendingActionStatus,
  ToolCallStatus,
} from '../src/index.js';

// One event of each kind, as the agent streams them in a turn.
const events: ChatResponse[] = [
  {
    conversationId: 'conv-1',
    sequence: 1,
    event: { $case: 'delta', value: { text: 'Acme has ' } },
  },
  {
    conversationId: 'conv-1',
    sequence: 2,
    event: {
      $case: 'toolCall',
      value: {
        id: 'call-1',
        name: 'update_crm_field',
        argumentsJson: '{"opportunityId":"opp-7","field":"stage"}',
      },
    },
  },
  {
    conversationId: 'conv-1',
    sequence: 3,
    event: {
      $case: 'toolResult',
      value: {
        callId: 'call-1',
        name: 'update_crm_field',
        status: ToolCallStatus.PENDING_CONFIRMATION,
        summary: 'Waiting for confirmation',
        errorCode: '',
        pendingActionId: 'act-1',
      },
    },
  },
  {
    conversationId: 'conv-1',
    sequence: 4,
    event: {
      $case: 'citation',
      value: {
        citation: {
          documentId: 'doc-battlecard-snowflake',
          chunkId: 'doc-battlecard-snowflake#3',
          title: 'Battlecard: Snowflake',
          sectionPath: 'Streaming > Objections',
          snippet: 'Lumen Stream ingests change data capture natively',
          charStart: 1200,
          charEnd: 1850,
        },
      },
    },
  },
  {
    conversationId: 'conv-1',
    sequence: 5,
    event: {
      $case: 'confirmationRequired',
      value: {
        id: 'act-1',
        tool: 'update_crm_field',
        summary: "Move 'Acme renewal' from Proposal to Negotiation",
        changes: [{ field: 'stage', before: 'PROPOSAL', after: 'NEGOTIATION' }],
        expiresAt: '2025-01-31T09:45:00.000Z',
        status: PendingActionStatus.PENDING,
        conversationId: 'conv-1',
        argumentsJson: '{"opportunityId":"opp-7","field":"stage"}',
      },
    },
  },
  {
    conversationId: 'conv-1',
    sequence: 6,
    event: {
      $case: 'final',
      value: {
        conversationId: 'conv-1',
        messageId: 'msg-2',
        answer: 'Acme has two open opportunities.',
        citations: [],
        toolCalls: [
          {
            id: 'call-1',
            name: 'update_crm_field',
            argumentsJson: '{}',
            status: ToolCallStatus.PENDING_CONFIRMATION,
            summary: '',
            errorCode: '',
            pendingActionId: 'act-1',
            durationMs: 12,
          },
        ],
        pendingActions: [],
        model: { provider: 'offline', name: 'offline-planner', offline: true },
        usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      },
    },
  },
  {
    conversationId: 'conv-1',
    sequence: 7,
    event: {
      $case: 'error',
      value: {
        code: 'DEPENDENCY_UNAVAILABLE',
        message: 'The CRM is unavailable.',
        retryable: true,
      },
    },
  },
];

describe('ChatResponse (one chat stream event)', () => {
  it.each(events.map((event) => [event.event?.$case ?? 'none', event]))(
    'round-trips a %s event through the protobuf wire format',
    (_kind, event) => {
      const bytes = ChatResponse.encode(event).finish();
      expect(ChatResponse.decode(bytes)).toEqual(event);
    },
  );

  it.each(events.map((event) => [event.event?.$case ?? 'none', event]))(
    'round-trips a %s event through proto3 JSON',
    (_kind, event) => {
      const json = JSON.parse(
        JSON.stringify(ChatResponse.toJSON(event)),
      ) as unknown;
      expect(ChatResponse.fromJSON(json)).toEqual(event);
    },
  );

  it('keeps only the last oneof member when the wire carries two', () => {
    const delta = ChatResponse.encode({
      conversationId: 'conv-1',
      sequence: 1,
      event: { $case: 'delta', value: { text: 'partial' } },
    }).finish();
    const error = ChatResponse.encode({
      conversationId: 'conv-1',
      sequence: 1,
      event: {
        $case: 'error',
        value: { code: 'INTERNAL', message: 'failed', retryable: false },
      },
    }).finish();
    // Protobuf merges concatenated messages; for a oneof the last set wins.
    const merged = new Uint8Array([...delta, ...error]);
    expect(ChatResponse.decode(merged).event?.$case).toBe('error');
  });

  it('uses the proto enum names in JSON', () => {
    const json = ChatResponse.toJSON(events[2]!) as {
      toolResult: { status: string };
    };
    expect(json.toolResult.status).toBe(
      'TOOL_CALL_STATUS_PENDING_CONFIRMATION',
    );
  });

  it('rejects truncated bytes with an error instead of a partial event', () => {
    const bytes = ChatResponse.encode(events[5]!).finish();
    expect(() =>
      ChatResponse.decode(bytes.subarray(0, bytes.length - 3)),
    ).toThrow(RangeError);
  });
});
