/**
 * Loads the Huainan org fixture through the running service's HTTP API:
 *   npm run fixture:huainan [-- path/to/fixture.json]
 * SC_URL (default http://127.0.0.1:3000), ADMIN_USERNAME (default admin), ADMIN_PASSWORD or
 * else the generated DATA_DIR/admin-password (DATA_DIR default ./data).
 * It goes through the API, not the database, so it works against any deployment and obeys
 * the same rules as any client. Loading twice creates nothing: each row comes back as a
 * duplicate-code row error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface LoadFixtureOptions {
  url: string;
  username: string;
  password: string;
  file: string;
}

export interface FixtureImportResult {
  created: number;
  failed: number;
  errors: { kind: string; row: number; field?: string; message: string }[];
}

export const HUAINAN_FIXTURE = resolve(__dirname, '..', 'fixtures', 'huainan.json');

export async function loadFixture(options: LoadFixtureOptions): Promise<FixtureImportResult> {
  const base = options.url.replace(/\/+$/, '');
  const login = await reach(base, `${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: options.username, password: options.password }),
  });
  if (!login.ok) throw new Error(`login as ${options.username} failed: HTTP ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const res = await reach(base, `${base}/org/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: readFileSync(options.file, 'utf8'),
  });
  if (!res.ok) throw new Error(`import failed: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as FixtureImportResult;
}

/** fetch only says "fetch failed" when the service is down; say where it looked. */
async function reach(base: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error: unknown) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new Error(`cannot reach the service at ${base} (set SC_URL)${cause}`, { cause: error });
  }
}

function optionsFromEnvironment(env: NodeJS.ProcessEnv, argv: string[]): LoadFixtureOptions {
  const dataDir = env.DATA_DIR?.trim() || './data';
  const passwordFile = join(dataDir, 'admin-password');
  const password = env.ADMIN_PASSWORD?.trim() || (existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : '');
  if (!password) throw new Error(`set ADMIN_PASSWORD, or run the service once so that ${passwordFile} exists`);
  return {
    url: env.SC_URL?.trim() || 'http://127.0.0.1:3000',
    username: env.ADMIN_USERNAME?.trim() || 'admin',
    password,
    file: argv[0] ? resolve(argv[0]) : HUAINAN_FIXTURE,
  };
}

async function main(): Promise<void> {
  const options = optionsFromEnvironment(process.env, process.argv.slice(2));
  const result = await loadFixture(options);
  console.log(`${options.file} → ${options.url}: created ${result.created}, failed ${result.failed}`);
  for (const error of result.errors) {
    console.log(`  ${error.kind} row ${error.row}${error.field ? ` (${error.field})` : ''}: ${error.message}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
