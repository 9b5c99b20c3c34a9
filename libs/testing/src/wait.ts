import { createServer } from 'node:net';

/** A port nothing listens on right now (the OS picks it, then it is released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}

export function delay(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}

/** Thrown by a probe when waiting longer cannot help (the process died): `waitFor` fails at once. */
export class WaitAborted extends Error {
  override readonly name = 'WaitAborted';
}

/**
 * Bounded poll: calls `probe` until it returns a value other than undefined, or throws once
 * `withinMs` has passed, naming what was awaited and the last state `describe` reports.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  options: { withinMs: number; everyMs?: number; describe?: () => string | Promise<string> },
): Promise<T> {
  const deadline = Date.now() + options.withinMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error: unknown) {
      if (error instanceof WaitAborted) {
        const state = options.describe ? await options.describe() : '';
        throw new Error(`gave up waiting for ${what}: ${error.message}${state ? `\n${state}` : ''}`, { cause: error });
      }
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const state = options.describe ? await options.describe() : '';
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${options.withinMs} ms waiting for ${what}${cause}${state ? `\n${state}` : ''}`);
    }
    await delay(options.everyMs ?? 100);
  }
}

/** Keeps the last `maxChars` of a stream's text: enough for an error message, bounded in memory. */
export class TextTail {
  private text = '';
  constructor(private readonly maxChars = 64 * 1024) {}

  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.maxChars * 2) this.text = this.text.slice(-this.maxChars);
  }

  toString(): string {
    return this.text.slice(-this.maxChars);
  }
}
