import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import {
  assertTenantPolicyEdit,
  parsePolicyText,
  type Authorizer,
  type PolicyLine,
} from '@fieldwise/authz';
import { ValidationError } from '@fieldwise/errors';

/** The outcome of a tenant policy edit. */
export interface PolicyEditResult {
  /** The policy version now served by this replica. */
  readonly version: number;
  /** The tenant's own lines after the edit. */
  readonly tenantLines: number;
  /** Whether other replicas were told to reload (false without Redis, or when Redis failed). */
  readonly notified: boolean;
}

/** Replaces one tenant's policy lines in the policy file. */
export interface PolicyEditor {
  /**
   * Replaces every `p, …, <tenant>, …` line by `lines`, writes the file
   * atomically, reloads this replica and notifies the others. Throws
   * `VALIDATION_FAILED` for a bad line (named `request:<n>`) and
   * `PERMISSION_DENIED` when a line is not scoped to `tenant`; the file is
   * untouched then. Edits run one at a time.
   */
  replaceTenantLines(
    tenant: string,
    lines: readonly string[],
  ): Promise<PolicyEditResult>;
}

/** Options of {@link createPolicyEditor}. */
export interface PolicyEditorOptions {
  /** The policy file the authorizer loads (and watches). */
  readonly path: string;
  readonly authorizer: Authorizer;
  /** Tells every replica to reload; absent without Redis. */
  readonly notify?: () => Promise<unknown>;
  readonly logger: Logger;
}

const SECTION = (tenant: string): string =>
  `# --- Tenant ${tenant}: edited through PUT /v1/policy ---`;

function isTenantLine(raw: string, tenant: string): boolean {
  const tokens = raw.split(',').map((t) => t.trim());
  return tokens[0] === 'p' && tokens[2] === tenant;
}

/**
 * Tenant policy edits that keep the rest of the file as written (comments,
 * order): the tenant's old lines are dropped and its new lines appended
 * under one section comment.
 */
export function createPolicyEditor(options: PolicyEditorOptions): PolicyEditor {
  let queue: Promise<unknown> = Promise.resolve();

  const edit = async (
    tenant: string,
    lines: readonly string[],
  ): Promise<PolicyEditResult> => {
    const malformed = lines.findIndex(
      (line) =>
        /[\r\n]/.test(line) ||
        line.trim() === '' ||
        line.trim().startsWith('#'),
    );
    if (malformed !== -1) {
      throw new ValidationError([
        {
          field: `body.lines.${malformed}`,
          message: 'one policy line per entry; no blank or comment lines',
        },
      ]);
    }
    const proposedTenantLines = parsePolicyText(lines.join('\n'), 'request');
    const current = options.authorizer.lines;
    const proposed: PolicyLine[] = [
      ...current.filter((l) => !(l.kind === 'p' && l.domain === tenant)),
      ...proposedTenantLines,
    ];
    assertTenantPolicyEdit(current, proposed, tenant);

    const before = await readFile(options.path, 'utf8');
    const kept = before
      .split(/\r?\n/)
      .filter((raw) => raw !== SECTION(tenant) && !isTenantLine(raw, tenant));
    while (kept.length > 0 && kept.at(-1)?.trim() === '') kept.pop();
    const after =
      [
        ...kept,
        ...(lines.length > 0
          ? ['', SECTION(tenant), ...lines.map((l) => l.trim())]
          : []),
      ].join('\n') + '\n';
    // The whole file must still be a valid policy before it replaces the old one.
    parsePolicyText(after, 'policy');
    await writeAtomically(options.path, after);
    let version: number;
    try {
      ({ version } = await options.authorizer.reload());
    } catch (error) {
      await writeAtomically(options.path, before);
      await options.authorizer.reload().catch(() => undefined);
      throw error;
    }
    let notified = false;
    if (options.notify) {
      try {
        await options.notify();
        notified = true;
      } catch (error) {
        options.logger.warn(
          { err: { message: (error as Error).message }, tenant },
          'policy written but replicas could not be notified; they reload on their file watch',
        );
      }
    }
    options.logger.info(
      { tenant, lines: proposedTenantLines.length, version },
      'tenant policy replaced',
    );
    return { version, tenantLines: proposedTenantLines.length, notified };
  };

  return {
    replaceTenantLines: (tenant, lines) => {
      const run = queue.then(() => edit(tenant, lines));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, path);
}
