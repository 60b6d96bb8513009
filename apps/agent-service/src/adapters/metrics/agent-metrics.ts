import type { GuardrailPipeline } from '@fieldwise/guardrails';
import type { ServiceRuntime } from '@fieldwise/grpc';
import type { ToolAuditRecord } from '../../domain/loop/run-turn.js';

type ServiceMetrics = ServiceRuntime['metrics'];

/** Counts every audited tool call by tool and outcome, then passes it on. */
export function countToolCalls(
  metrics: Pick<ServiceMetrics, 'countToolCall'>,
  next: (record: ToolAuditRecord) => void,
): (record: ToolAuditRecord) => void {
  return (record) => {
    metrics.countToolCall(record.tool, record.status);
    next(record);
  };
}

/**
 * The same pipeline, whose `check` also counts each hit by rule, stage and
 * outcome. A view over the original (shares its rules and state).
 */
export function countGuardrailHits(
  pipeline: GuardrailPipeline,
  metrics: Pick<ServiceMetrics, 'countGuardrailHit'>,
): GuardrailPipeline {
  const counting = Object.create(pipeline) as GuardrailPipeline;
  counting.check = async (stage, text, options) => {
    const result = await pipeline.check(stage, text, options);
    for (const hit of result.hits) {
      metrics.countGuardrailHit({
        rule: hit.ruleId,
        stage: hit.stage,
        outcome: hit.outcome,
      });
    }
    return result;
  };
  return counting;
}
