import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IngestRunner } from '@sc/testing/ingest-process';

const ROOT = resolve(__dirname, '..', '..');
/** Inside the repository so the build resolves node_modules like dist/ does; git ignores node_modules. */
/** Per run (pid), so two runs never build into or delete each other's folder. */
const BENCH_DIST = join(ROOT, 'node_modules', '.cache', `sc-bench-dist-${process.pid}`);

export type RunnerChoice = 'auto' | 'dist' | 'build' | 'ts-node';

export interface ChosenRunner {
  runner: IngestRunner;
  /** What the report says about how the ingest ran. */
  description: string;
  cleanup(): void;
}

/** Newest modification time of the sources the ingest app is built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function distIsFresh(): boolean {
  const main = join(ROOT, 'dist', 'apps', 'ingest', 'src', 'main.js');
  if (!existsSync(main)) return false;
  const built = statSync(main).mtimeMs;
  const sources = ['apps/ingest/src', 'libs/config/src', 'libs/core/src', 'libs/database/src', 'libs/messaging/src', 'libs/platform/src'];
  return sources.every((dir) => newestSource(join(ROOT, dir)) <= built);
}

/** Compiles like `npm run build` (tsc + tsc-alias) into a private folder, leaving dist/ alone. */
function buildPrivateDist(): string {
  rmSync(BENCH_DIST, { recursive: true, force: true });
  const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
  // tsc emits despite type errors (noEmitOnError is off); a half-edited tree still builds, with a warning.
  const tsc = spawnSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', BENCH_DIST], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(join(BENCH_DIST, 'apps', 'ingest', 'src', 'main.js'))) throw new Error(`tsc produced no ingest build (exit ${tsc.status})`);
  if (tsc.status !== 0) process.stderr.write(`[bench] warning: tsc reported type errors (exit ${tsc.status}); measuring the emitted JS anyway\n`);
  execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', BENCH_DIST], { cwd: ROOT, stdio: 'inherit' });
  return BENCH_DIST;
}

/**
 * Production runs `node dist/apps/ingest/src/main.js`. `auto` uses dist/ when it is newer than
 * every source it is built from, otherwise compiles a private build: a stale dist/ would
 * measure old code, and ts-node keeps the TypeScript compiler in memory (RSS).
 */
export function chooseRunner(choice: RunnerChoice): ChosenRunner {
  const none = () => undefined;
  if (choice === 'ts-node') return { runner: { kind: 'ts-node' }, description: 'ts-node (transpile-only)', cleanup: none };
  if (choice === 'dist' || (choice === 'auto' && distIsFresh())) {
    if (!existsSync(join(ROOT, 'dist', 'apps', 'ingest', 'src', 'main.js'))) throw new Error('dist/ has no ingest build: run npm run build');
    return { runner: { kind: 'dist', distDir: join(ROOT, 'dist') }, description: 'node dist/apps/ingest/src/main.js', cleanup: none };
  }
  const distDir = buildPrivateDist();
  return {
    runner: { kind: 'dist', distDir },
    description: 'node, compiled JS (tsc + tsc-alias, as npm run build; dist/ was missing or stale)',
    cleanup: () => rmSync(BENCH_DIST, { recursive: true, force: true }),
  };
}
