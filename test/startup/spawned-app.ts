import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '@sc/testing/wait';

export { freePort };

const ROOT = resolve(__dirname, '..', '..');

/**
 * The all-in-one entry as `npm start` runs it, but compiled on the fly (transpile-only keeps
 * decorator metadata and starts in seconds, without a build).
 */
const ENTRY = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/all-in-one/src/main.ts'];

/** Only what a process needs to run: the app must not pick up the test runner's environment. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT'];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnedApp {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the process exits; rejects (after SIGKILL) if it outlives the bound. */
  exited(withinMs: number): Promise<Exit>;
  /** SIGKILL if still running; for cleanup after a failed test. */
  kill(): void;
}

export function spawnAllInOne(env: Record<string, string>): SpawnedApp {
  const base: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  const child = spawn(process.execPath, ENTRY, {
    cwd: ROOT,
    env: { ...base, TS_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<Exit>((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: async (withinMs) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`process did not exit within ${withinMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
        }, withinMs);
      });
      try {
        return await Promise.race([exit, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
    kill: () => {
      if (running()) child.kill('SIGKILL');
    },
  };
}

/**
 * Polls a URL until it answers with `status`, the process exits, or the bound passes;
 * returns the last response body.
 */
export async function pollUntil(app: SpawnedApp, url: string, status: number, withinMs: number): Promise<unknown> {
  const deadline = Date.now() + withinMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      throw new Error(`process exited (${app.child.exitCode ?? app.child.signalCode}) before ${url} answered\n${app.stderr()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body: unknown = await res.json();
      if (res.status === status) return body;
      last = `${res.status} ${JSON.stringify(body)}`;
    } catch (error: unknown) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`${url} did not answer ${status} within ${withinMs} ms (last: ${last})\nstdout:\n${app.stdout()}\nstderr:\n${app.stderr()}`);
}
