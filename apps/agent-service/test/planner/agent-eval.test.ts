import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseTurns,
  type EvalCase,
} from '../../../eval-service/src/domain/dataset/eval-case.js';
import { parseCasesJsonl } from '../../../eval-service/src/domain/dataset/jsonl.js';
import { scoreArgumentCorrectness } from '../../../eval-service/src/domain/metrics/argument-correctness.js';
import {
  scoreForbiddenFacts,
  scoreRequiredFacts,
} from '../../../eval-service/src/domain/metrics/facts.js';
import {
  scoreToolOrder,
  scoreToolSelection,
} from '../../../eval-service/src/domain/metrics/tool-selection.js';
import {
  REPO_ROOT,
  startFullStack,
  type FullStack,
  type TurnOutcome,
} from './helpers/full-stack.js';

// Committed floors on data/eval/agent-v1.jsonl (issue 5), with the offline
// planner driving the real loop, tools, CRM and retrieval services:
// tool selection (every expected tool called, in order for sequence cases,
// with its key arguments) ≥ 90%; required facts stated ≥ 85%.
const TOOL_SELECTION_FLOOR = 0.9;
const FACTS_FLOOR = 0.85;

interface CaseScore {
  readonly id: string;
  readonly toolsOk: boolean;
  readonly factsShare: number;
  readonly forbiddenStated: boolean;
  readonly offline: boolean;
  readonly why: string;
}

describe('agent evaluation set with the offline planner', () => {
  let stack: FullStack;
  let cases: readonly EvalCase[] = [];
  const scores: CaseScore[] = [];

  beforeAll(async () => {
    const parsed = parseCasesJsonl(
      readFileSync(join(REPO_ROOT, 'data', 'eval', 'agent-v1.jsonl'), 'utf8'),
    );
    expect(parsed.errors).toEqual([]);
    cases = parsed.cases;
    stack = await startFullStack();
    for (const c of cases) {
      const principal = stack.principalOf(c.user.tenant, c.user.userId);
      let outcome: TurnOutcome | undefined;
      let conversationId: string | undefined;
      for (const message of caseTurns(c.request)) {
        const turn = await stack.turn(principal, message, conversationId);
        conversationId = turn.conversationId;
        outcome = turn;
      }
      if (outcome) scores.push(score(c, outcome));
    }
    // PLANNER_EVAL_REPORT=<file> keeps every case's score for inspection.
    const report = process.env.PLANNER_EVAL_REPORT;
    if (report) writeFileSync(report, JSON.stringify(scores, null, 1));
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('loads as eval-service cases: at least 60, all asked as seeded users', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(scores).toHaveLength(cases.length);
    expect(scores.every((s) => s.offline)).toBe(true);
  });

  it(`selects the expected tools with their key arguments in ≥ ${TOOL_SELECTION_FLOOR * 100}% of cases`, () => {
    const share = scores.filter((s) => s.toolsOk).length / scores.length;
    const misses = scores
      .filter((s) => !s.toolsOk)
      .map((s) => `${s.id}: ${s.why}`);
    expect(share, misses.join('\n')).toBeGreaterThanOrEqual(
      TOOL_SELECTION_FLOOR,
    );
  });

  it(`states ≥ ${FACTS_FLOOR * 100}% of the required facts`, () => {
    const share =
      scores.reduce((sum, s) => sum + s.factsShare, 0) / scores.length;
    const misses = scores
      .filter((s) => s.factsShare < 1)
      .map((s) => `${s.id}: ${s.why}`);
    expect(share, misses.join('\n')).toBeGreaterThanOrEqual(FACTS_FLOOR);
  });

  it('never states a forbidden fact (no data from outside the territory)', () => {
    expect(scores.filter((s) => s.forbiddenStated).map((s) => s.id)).toEqual(
      [],
    );
  });
});

function score(c: EvalCase, outcome: TurnOutcome): CaseScore {
  const actual = outcome.toolCalls.map((call) => ({
    name: call.name,
    arguments: call.arguments,
    status: call.status as 'executed',
  }));
  const why: string[] = [];
  let toolsOk = true;
  if (c.expectedTools) {
    const selection = scoreToolSelection(c.expectedTools, actual);
    const order =
      c.expectedTools.match === 'sequence'
        ? scoreToolOrder(c.expectedTools, actual)
        : undefined;
    const args = scoreArgumentCorrectness(c.expectedTools, actual);
    toolsOk =
      selection.passed === true &&
      order?.passed !== false &&
      args?.passed !== false;
    if (!toolsOk) {
      why.push(
        `tools [${actual.map((a) => `${a.name}${JSON.stringify(a.arguments)}:${a.status}`).join(' ')}] ${selection.explanation}; ${args?.explanation ?? ''}`,
      );
    }
  }
  const facts = scoreRequiredFacts(outcome.answer, c.requiredFacts);
  if (facts && facts.passed !== true)
    why.push(`${facts.explanation} in: ${outcome.answer.slice(0, 3000)}`);
  const forbidden = scoreForbiddenFacts(outcome.answer, c.forbiddenFacts);
  return {
    id: c.id,
    toolsOk,
    factsShare: facts?.value ?? 1,
    forbiddenStated: forbidden !== undefined && forbidden.passed !== true,
    offline: outcome.model.provider === 'offline',
    why: why.join(' | '),
  };
}
