import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PATHS,
  REPO_ROOT,
  RUN_AS,
  SERVICES,
  serviceSpec,
  type ServiceName,
} from '../src/index.js';

// No Docker engine runs here, so the Dockerfiles are checked by reading
// them: what each COPY takes exists in the build context (or was produced
// by an earlier stage), the image runs the file the app's build produces,
// as a numeric non-root user, from a pinned base image, with exactly the
// workspace libraries the app depends on.

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly name: string;
  readonly from: string;
  readonly instructions: Instruction[];
  /** Paths (relative to /app) the stage holds, and where they came from. */
  readonly provided: Map<string, 'context' | 'build' | 'install'>;
}

/** Instructions of a Dockerfile: continuations joined, comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    if (whole === '') continue;
    const [keyword = '', ...rest] = whole.split(/\s+/);
    instructions.push({
      keyword: keyword.toUpperCase(),
      args: rest.join(' '),
    });
  }
  return instructions;
}

/** `.dockerignore` patterns as a predicate on context paths (last match wins). */
function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = (negated ? line.slice(1) : line).replace(/\/$/, '');
      const source = pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) => {
          if (part === '**/') return '(?:.*/)?';
          if (part === '**') return '.*';
          if (part === '*') return '[^/]*';
          if (part === '?') return '[^/]';
          return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
        })
        .join('');
      return { negated, regex: new RegExp(`^${source}$`) };
    });
  return (path) => {
    const segments = path.split('/');
    const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) {
      if (prefixes.some((prefix) => rule.regex.test(prefix))) {
        ignored = !rule.negated;
      }
    }
    return ignored;
  };
}

function globalArgs(instructions: Instruction[]): Map<string, string> {
  const args = new Map<string, string>();
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') break;
    if (instruction.keyword === 'ARG') {
      const [name, value = ''] = instruction.args.split('=');
      if (name) args.set(name, value);
    }
  }
  return args;
}

function substitute(text: string, args: Map<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => {
    const name = a ?? b ?? '';
    const value = args.get(name);
    if (value === undefined) throw new Error(`undefined ARG ${name}`);
    return value;
  });
}

/** The @fieldwise libraries an app needs at run time, transitively. */
function workspaceClosure(app: string): string[] {
  const seen = new Set<string>();
  const visit = (manifest: string) => {
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const name of Object.keys(json.dependencies ?? {})) {
      if (!name.startsWith('@fieldwise/')) continue;
      const lib = name.slice('@fieldwise/'.length);
      if (seen.has(lib)) continue;
      seen.add(lib);
      visit(join(REPO_ROOT, 'libs', lib, 'package.json'));
    }
  };
  visit(join(REPO_ROOT, 'apps', app, 'package.json'));
  return [...seen].sort();
}

function splitCopy(args: string): {
  from?: string;
  sources: string[];
  dest: string;
} {
  const words = args.split(/\s+/);
  let from: string | undefined;
  const rest: string[] = [];
  for (const word of words) {
    if (word.startsWith('--from=')) from = word.slice('--from='.length);
    else if (!word.startsWith('--')) rest.push(word);
  }
  const dest = rest.pop();
  if (!dest || rest.length === 0) throw new Error(`bad COPY ${args}`);
  return { ...(from ? { from } : {}), sources: rest, dest };
}

/** A path relative to the stage's /app workdir ('' for /app itself). */
function underApp(path: string): string {
  const normalized = posix.normalize(
    path.startsWith('/') ? path : `/app/${path}`,
  );
  if (normalized === '/app' || normalized === '/app/') return '';
  if (!normalized.startsWith('/app/')) return normalized;
  return normalized.slice('/app/'.length).replace(/\/$/, '');
}

function stagesOf(app: string, instructions: Instruction[]): Stage[] {
  const args = globalArgs(instructions);
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      if (as?.toUpperCase() !== 'AS' || !name) {
        throw new Error(`every stage is named: FROM ${instruction.args}`);
      }
      const from = substitute(image, args);
      const base = stages.find((stage) => stage.name === from);
      stages.push({
        name,
        from,
        instructions: [],
        provided: new Map(base?.provided ?? []),
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue;
    stage.instructions.push(instruction);
    if (instruction.keyword === 'COPY') {
      const copy = splitCopy(instruction.args);
      const source = copy.from
        ? stages.find((candidate) => candidate.name === copy.from)
        : undefined;
      for (const src of copy.sources) {
        const dest = underApp(copy.dest);
        if (source && underApp(src) === '' && dest === '') {
          for (const [path, origin] of source.provided) {
            stage.provided.set(path, origin);
          }
          continue;
        }
        // `COPY a b ./` puts files into the directory; `COPY dir/ dest` and
        // `COPY dir dest` put the directory's contents at dest.
        const target =
          copy.dest.endsWith('/') && !src.endsWith('/')
            ? posix.join(dest, basename(src))
            : dest;
        stage.provided.set(target, source ? 'build' : 'context');
      }
    }
    if (instruction.keyword === 'RUN') {
      const build = /nx run @fieldwise\/([a-z-]+):build/.exec(instruction.args);
      if (build?.[1] === app) {
        stage.provided.set(`apps/${app}/dist`, 'build');
        for (const lib of workspaceClosure(app)) {
          stage.provided.set(`libs/${lib}/dist`, 'build');
        }
      }
      if (/npm ci/.test(instruction.args)) {
        stage.provided.set('node_modules', 'install');
      }
    }
  }
  return stages;
}

/** Whether `path` is held by the stage (itself or inside a held directory). */
function holds(stage: Stage, path: string): boolean {
  if (path === '') return true;
  for (const [held, origin] of stage.provided) {
    if (path === held) return true;
    if (path.startsWith(`${held}/`)) {
      // Inside a directory copied from the context: it must be in the repo.
      return origin !== 'context' || existsSync(join(REPO_ROOT, path));
    }
  }
  return false;
}

const apps = readdirSync(join(REPO_ROOT, 'apps')).filter((entry) =>
  statSync(join(REPO_ROOT, 'apps', entry)).isDirectory(),
);
const ignored = dockerignore(
  readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'),
);

describe('.dockerignore', () => {
  it('keeps host builds, dependencies and local state out of the context', () => {
    for (const path of [
      'node_modules/x',
      'apps/gateway/node_modules/x',
      'apps/gateway/dist/main.js',
      'libs/authz/dist/index.js',
      '.data/crm.sqlite',
      'apps/crm-service/.data/x',
      '.git/HEAD',
      'apps/gateway/test/x.test.ts',
    ]) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of [
      'apps/gateway/src/main.ts',
      'libs/authz/policy/policy.csv',
      'libs/testing/src/index.ts',
      'data/collateral/README.md',
      'package-lock.json',
    ]) {
      expect(ignored(path), path).toBe(false);
    }
  });
});

describe('deploy manifests and apps', () => {
  it('every app has a Dockerfile and a deployment', () => {
    for (const app of apps) {
      expect(existsSync(join(REPO_ROOT, 'apps', app, 'Dockerfile')), app).toBe(
        true,
      );
    }
    expect(SERVICES.map((spec) => spec.name).sort()).toEqual([...apps].sort());
  });
});

describe.each(apps)('apps/%s/Dockerfile', (app) => {
  const text = readFileSync(join(REPO_ROOT, 'apps', app, 'Dockerfile'), 'utf8');
  const instructions = parseDockerfile(text);
  const stages = stagesOf(app, instructions);
  const runtime = stages.at(-1);
  if (!runtime) throw new Error('no stage');
  const spec = serviceSpec(app as ServiceName);
  const named = (keyword: string) =>
    runtime.instructions.filter(
      (instruction) => instruction.keyword === keyword,
    );

  it('is multi-stage on a pinned Node 20 slim base', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const external = stages.filter(
      (stage) => !stages.some((other) => other.name === stage.from),
    );
    for (const stage of external) {
      expect(stage.from).toMatch(
        /^node:20\.\d+\.\d+-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/,
      );
    }
    expect(new Set(external.map((stage) => stage.from)).size).toBe(1);
  });

  it('copies from the context only what exists and is not ignored', () => {
    for (const stage of stages) {
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'COPY') continue;
        const copy = splitCopy(instruction.args);
        if (copy.from) continue;
        for (const src of copy.sources) {
          const path = src.replace(/\/$/, '');
          expect(existsSync(join(REPO_ROOT, path)), src).toBe(true);
          expect(ignored(path), src).toBe(false);
        }
      }
    }
  });

  it('copies from earlier stages only what they hold or built', () => {
    for (const [index, stage] of stages.entries()) {
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'COPY') continue;
        const copy = splitCopy(instruction.args);
        if (!copy.from) continue;
        const source = stages.slice(0, index).find((s) => s.name === copy.from);
        expect(source, `stage ${copy.from}`).toBeDefined();
        for (const src of copy.sources) {
          expect(
            source && holds(source, underApp(src)),
            `${copy.from}:${src}`,
          ).toBe(true);
        }
      }
    }
  });

  it('runs the file the app build produces, with node as PID 1', () => {
    const cmd = named('CMD').at(-1);
    const entrypoint = named('ENTRYPOINT');
    expect(entrypoint).toEqual([]);
    const argv = JSON.parse(cmd?.args ?? 'null') as string[];
    expect(argv).toEqual(['node', `apps/${app}/dist/main.js`]);
    expect(holds(runtime, `apps/${app}/dist/main.js`)).toBe(true);
    // tsc compiles src/main.ts to dist/main.js (tsconfig.build.json).
    expect(existsSync(join(REPO_ROOT, 'apps', app, 'src', 'main.ts'))).toBe(
      true,
    );
    const tsconfig = JSON.parse(
      readFileSync(join(REPO_ROOT, 'apps', app, 'tsconfig.build.json'), 'utf8'),
    ) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(tsconfig.compilerOptions).toMatchObject({
      rootDir: 'src',
      outDir: 'dist',
    });
    const manifest = JSON.parse(
      readFileSync(join(REPO_ROOT, 'apps', app, 'package.json'), 'utf8'),
    ) as { scripts: { start: string } };
    expect(manifest.scripts.start).toBe('node dist/main.js');
  });

  it('ships the built workspace libraries the app depends on, and no others', () => {
    const libs = runtime.instructions
      .filter((instruction) => instruction.keyword === 'COPY')
      .map(
        (instruction) =>
          /\/app\/libs\/([a-z-]+)\/dist\b/.exec(instruction.args)?.[1],
      )
      .filter((lib): lib is string => lib !== undefined)
      .sort();
    expect(libs).toEqual(workspaceClosure(app));
    expect(holds(runtime, 'node_modules')).toBe(true);
  });

  it('installs only production dependencies of this app', () => {
    const install = stages
      .flatMap((stage) => stage.instructions)
      .filter((instruction) => /npm ci --omit=dev/.test(instruction.args));
    expect(install).toHaveLength(1);
    expect(install[0]?.args).toContain(`--workspace=@fieldwise/${app}`);
    // Nothing is installed or compiled in the final image.
    for (const run of named('RUN')) {
      expect(run.args).not.toMatch(/\bnpm\b|apt-get|\bnpx\b/);
    }
  });

  it('runs as a numeric non-root user with a writable data volume', () => {
    const user = named('USER').at(-1)?.args;
    expect(user).toBe(`${RUN_AS}:${RUN_AS}`);
    const env = named('ENV')
      .map((instruction) => instruction.args)
      .join(' ');
    expect(env).toContain(`FIELDWISE_DATA_DIR=${PATHS.data}`);
    expect(named('VOLUME').map((instruction) => instruction.args)).toEqual([
      JSON.stringify([PATHS.data]),
    ]);
    const exposed = named('EXPOSE').flatMap((instruction) =>
      instruction.args.split(/\s+/).map(Number),
    );
    expect(exposed).toContain(spec.port);
  });
});

describe('the Dockerfile parser', () => {
  it('joins continuations and drops comments', () => {
    const parsed = parseDockerfile(
      '# c\nARG A=1\nFROM node:20.1.2-x-slim AS a\nRUN a \\\n  && b\n\nUSER 1:1\n',
    );
    expect(parsed).toEqual([
      { keyword: 'ARG', args: 'A=1' },
      { keyword: 'FROM', args: 'node:20.1.2-x-slim AS a' },
      { keyword: 'RUN', args: 'a && b' },
      { keyword: 'USER', args: '1:1' },
    ]);
  });

  it('the stage model rejects a copy of something no stage built', () => {
    const stages = stagesOf(
      'gateway',
      parseDockerfile(
        'FROM node:20.1.2-x-slim AS build\nWORKDIR /app\nCOPY libs/ libs/\nFROM node:20.1.2-x-slim AS runtime\nCOPY --from=build /app/apps/gateway/dist apps/gateway/dist\n',
      ),
    );
    const build = stages[0];
    if (!build) throw new Error('no stage');
    expect(holds(build, 'apps/gateway/dist')).toBe(false);
    expect(holds(build, 'libs/authz/policy')).toBe(true);
    expect(holds(build, 'libs/not-a-lib/dist')).toBe(false);
  });
});
