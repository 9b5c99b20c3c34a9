import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PlannedDevice } from './fleet';

/**
 * Provisions the simulated fleet through the service's HTTP API, as an operator would, and keeps
 * the one-time MQTT secrets in a file (mode 0600) so a rerun reuses them. A device that exists but
 * whose secret is lost (another machine, a deleted file) gets a new credential.
 */

export interface DeviceCredential {
  id: string;
  code: string;
  type: string;
  siteId: string;
  secret: string;
}

/** The secrets file: per service URL, so one file serves several deployments. */
interface SecretsFile {
  version: 1;
  services: Record<string, { devices: Record<string, DeviceCredential> }>;
}

export interface ProvisionReport {
  devices: DeviceCredential[];
  reused: number;
  created: number;
  rotated: number;
  /** Codes that exist but are disabled: they cannot connect and are left out. */
  disabled: string[];
}

interface DeviceView {
  id: string;
  code: string;
  type: string;
  siteId: string;
  enabled: boolean;
  secret?: string;
}

const IMPORT_CHUNK = 1000;
const LIST_PAGE = 500;

export class ServiceApi {
  private token?: string;

  constructor(private readonly base: string) {}

  async login(username: string, password: string): Promise<void> {
    const body = await this.call<{ accessToken: string }>('POST', '/auth/login', { username, password });
    this.token = body.accessToken;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error: unknown) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new Error(`cannot reach the service at ${this.base} (--url)${cause}`, { cause: error });
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
}

export function readSecrets(path: string): SecretsFile {
  if (!existsSync(path)) return { version: 1, services: {} };
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<SecretsFile>;
  return { version: 1, services: parsed.services ?? {} };
}

/** Written to a temp file and renamed, mode 0600 from the first byte: it holds device passwords. */
export function writeSecrets(path: string, secrets: SecretsFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(secrets, null, 1)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** Every device of the registry whose code starts with the fleet's prefix. */
async function listFleet(api: ServiceApi, prefix: string): Promise<Map<string, DeviceView>> {
  const found = new Map<string, DeviceView>();
  for (let offset = 0; ; offset += LIST_PAGE) {
    const q = encodeURIComponent(`${prefix}-`);
    const page = await api.call<{ items: DeviceView[]; total: number }>('GET', `/devices?q=${q}&limit=${LIST_PAGE}&offset=${offset}`);
    for (const d of page.items) if (d.code.startsWith(`${prefix}-`)) found.set(d.code, d);
    // Bounded: the total says when to stop, the empty page guards against a moving total.
    if (page.items.length === 0 || offset + LIST_PAGE >= page.total) return found;
  }
}

function importRow(d: PlannedDevice): Record<string, string> {
  const row: Record<string, string> = { code: d.code, type: d.type, name: d.name, location: d.location, communityCode: d.communityCode };
  if (d.compoundCode) row.compoundCode = d.compoundCode;
  if (d.buildingCode) row.buildingCode = d.buildingCode;
  if (d.gridCode) row.gridCode = d.gridCode;
  row.vendor = 'simulator';
  return row;
}

export async function provisionFleet(
  api: ServiceApi,
  plan: readonly PlannedDevice[],
  options: { url: string; prefix: string; secretsPath: string; log: (line: string) => void },
): Promise<ProvisionReport> {
  const secrets = readSecrets(options.secretsPath);
  const stored = (secrets.services[options.url] ??= { devices: {} }).devices;
  const existing = await listFleet(api, options.prefix);
  const report: ProvisionReport = { devices: [], reused: 0, created: 0, rotated: 0, disabled: [] };
  const save = () => writeSecrets(options.secretsPath, secrets);

  const missing = plan.filter((d) => !existing.has(d.code));
  for (let i = 0; i < missing.length; i += IMPORT_CHUNK) {
    const chunk = missing.slice(i, i + IMPORT_CHUNK);
    const result = await api.call<{ created: DeviceView[]; errors: { row?: number; field?: string; message: string }[] }>('POST', '/devices/import', {
      devices: chunk.map(importRow),
    });
    for (const d of result.created) {
      stored[d.code] = { id: d.id, code: d.code, type: d.type, siteId: d.siteId, secret: d.secret ?? '' };
      existing.set(d.code, d);
    }
    report.created += result.created.length;
    save();
    const unknownPlace = result.errors.find((e) => /unknown (community|compound|building|grid)/.test(e.message));
    if (unknownPlace) {
      throw new Error(`the service does not know the fixture's places (${unknownPlace.message}): load it first with npm run fixture:huainan`);
    }
    const other = result.errors.filter((e) => !/already exists/.test(e.message));
    if (other.length > 0) throw new Error(`device import refused rows: ${other.slice(0, 5).map((e) => `row ${e.row}: ${e.message}`).join('; ')}`);
    options.log(`provisioned ${Math.min(i + IMPORT_CHUNK, missing.length)}/${missing.length} new devices`);
  }

  const lost: DeviceView[] = [];
  for (const d of plan) {
    const view = existing.get(d.code);
    if (!view) throw new Error(`device ${d.code} was neither found nor created`);
    if (!view.enabled) {
      report.disabled.push(d.code);
      continue;
    }
    const known = stored[d.code];
    // Exists, but its secret is not in the file (or belongs to an older device of that code).
    if (!known || known.id !== view.id || !known.secret) lost.push(view);
  }
  if (lost.length > 0) options.log(`issuing new credentials for ${lost.length} device${lost.length === 1 ? '' : 's'} whose secret is not in ${options.secretsPath}`);
  await inPool(lost, ROTATE_CONCURRENCY, async (view) => {
    const rotated = await api.call<DeviceView>('POST', `/devices/${view.id}/credentials`);
    stored[view.code] = { id: rotated.id, code: rotated.code, type: rotated.type, siteId: rotated.siteId, secret: rotated.secret ?? '' };
    report.rotated += 1;
    // Saved as it goes: an interrupted run must not lose secrets the service already replaced.
    if (report.rotated % 50 === 0) save();
  });
  save();
  const disabled = new Set(report.disabled);
  for (const d of plan) {
    const credential = stored[d.code];
    if (disabled.has(d.code) || !credential) continue;
    report.devices.push(credential);
  }
  report.reused = report.devices.length - report.created - report.rotated;
  return report;
}

const ROTATE_CONCURRENCY = 8;

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

/** A new secret for one device whose stored secret the broker refused. */
export async function rotateOne(api: ServiceApi, secretsPath: string, url: string, device: DeviceCredential): Promise<DeviceCredential> {
  const rotated = await api.call<DeviceView>('POST', `/devices/${device.id}/credentials`);
  const next = { ...device, secret: rotated.secret ?? '' };
  const secrets = readSecrets(secretsPath);
  (secrets.services[url] ??= { devices: {} }).devices[device.code] = next;
  writeSecrets(secretsPath, secrets);
  return next;
}
