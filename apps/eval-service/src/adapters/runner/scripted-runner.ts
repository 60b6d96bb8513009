import { readFile } from 'node:fs/promises';
import {
  FieldwiseError,
  isErrorCode,
  NotFoundError,
  ValidationError,
} from '@fieldwise/errors';
import type { EvalCase } from '../../domain/dataset/eval-case.js';
import type { AgentTurn } from '../../domain/model.js';
import type { AgentRunner } from '../../domain/run/agent-runner.js';
import {
  RecordingLineSchema,
  type RecordingLine,
} from './agent-turn-schema.js';

/**
 * An AgentRunner that replays recorded agent outputs, one JSONL line per
 * case id (see `RecordingLineSchema`): for CI gates without a live agent,
 * and for tests. A case without a recording fails with NOT_FOUND (so the
 * case is `errored`); a recorded error is rethrown with its code.
 */
export class ScriptedAgentRunner implements AgentRunner {
  private readonly recordings: ReadonlyMap<string, RecordingLine>;

  constructor(lines: readonly RecordingLine[]) {
    this.recordings = new Map(lines.map((line) => [line.caseId, line]));
  }

  /** Parses a JSONL recording; any invalid line is VALIDATION_FAILED naming its line number. */
  static fromJsonl(text: string): ScriptedAgentRunner {
    const lines: RecordingLine[] = [];
    const violations: { field: string; message: string }[] = [];
    text.split(/\r?\n/).forEach((raw, index) => {
      if (raw.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch (error) {
        violations.push({
          field: `line ${index + 1}`,
          message: `invalid JSON: ${(error as Error).message}`,
        });
        return;
      }
      const parsed = RecordingLineSchema.safeParse(json);
      if (parsed.success) lines.push(parsed.data);
      else
        violations.push({
          field: `line ${index + 1}`,
          message: parsed.error.issues
            .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
            .join('; '),
        });
    });
    if (violations.length > 0)
      throw new ValidationError(
        violations,
        `invalid recording: ${violations.map((v) => `${v.field}: ${v.message}`).join('; ')}`,
      );
    return new ScriptedAgentRunner(lines);
  }

  /** Reads a JSONL recording file (see {@link ScriptedAgentRunner.fromJsonl}). */
  static async fromFile(path: string): Promise<ScriptedAgentRunner> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new FieldwiseError(
        'NOT_FOUND',
        `recording file '${path}' cannot be read`,
        {
          cause: error,
          context: { resource: 'recording', id: path },
        },
      );
    }
    return ScriptedAgentRunner.fromJsonl(text);
  }

  run(
    evalCase: EvalCase,
    options: { signal: AbortSignal },
  ): Promise<AgentTurn> {
    if (options.signal.aborted) {
      return Promise.reject(new FieldwiseError('CANCELLED', 'run cancelled'));
    }
    const line = this.recordings.get(evalCase.id);
    if (!line)
      return Promise.reject(new NotFoundError('recording', evalCase.id));
    if ('error' in line) {
      const code = isErrorCode(line.error.code) ? line.error.code : 'INTERNAL';
      return Promise.reject(new FieldwiseError(code, line.error.message));
    }
    const { caseId: _caseId, ...turn } = line;
    return Promise.resolve(turn);
  }
}
