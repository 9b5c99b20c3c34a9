import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { DevicePlace } from '../devices/device-event-hook';
import { placeholders, queryRows, toBoolean } from './sql';

/** What the pipeline needs to know about the device a topic names. */
export interface DirectoryEntry {
  id: string;
  code: string;
  type: string;
  /** Code of the device's community: the {siteId} its topics must carry. */
  siteId: string;
  enabled: boolean;
  /** Read with the rest, so what a stored message raises needs no lookup of its own. */
  place: DevicePlace;
}

/** Short, so a disabled or moved device is refused within seconds without an invalidation channel. */
export const DIRECTORY_TTL_MS = 5_000;
/** Bounds memory: a city has about 550,000 devices; an instance needs only the ones talking now. */
const MAX_ENTRIES = 100_000;

interface Cached {
  entry: DirectoryEntry | null;
  expiresAt: number;
}

interface DeviceRow {
  id: string;
  code: string;
  type: string;
  enabled: unknown;
  site_id: string;
  community_id: string;
  community_path: string;
  compound_id: string | null;
  grid_id: string | null;
}

/**
 * Device lookups for the ingest: code → {id, site, type, enabled, place}, cached for a few seconds
 * (unknown codes too, so a flood from an unprovisioned device costs one query per TTL). Misses
 * of a whole batch are loaded in one query.
 */
@Injectable()
export class DeviceDirectory {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly em: EntityManager) {}

  async resolve(codes: Iterable<string>, now = Date.now()): Promise<Map<string, DirectoryEntry | null>> {
    const found = new Map<string, DirectoryEntry | null>();
    const missing: string[] = [];
    for (const code of new Set(codes)) {
      const cached = this.cache.get(code);
      if (cached && cached.expiresAt > now) found.set(code, cached.entry);
      else missing.push(code);
    }
    if (missing.length > 0) {
      const loaded = await this.load(missing);
      for (const code of missing) {
        const entry = loaded.get(code) ?? null;
        found.set(code, entry);
        this.remember(code, entry, now);
      }
    }
    return found;
  }

  /** Forgets everything (tests that disable a device and want the effect now). */
  clear(): void {
    this.cache.clear();
  }

  private remember(code: string, entry: DirectoryEntry | null, now: number): void {
    // Re-inserting moves the code to the end, so the first key is the least recently loaded.
    this.cache.delete(code);
    this.cache.set(code, { entry, expiresAt: now + DIRECTORY_TTL_MS });
    if (this.cache.size > MAX_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
  }

  private async load(codes: string[]): Promise<Map<string, DirectoryEntry>> {
    const out = new Map<string, DirectoryEntry>();
    const em = this.em.fork();
    for (let i = 0; i < codes.length; i += 1000) {
      const slice = codes.slice(i, i + 1000);
      const rows = await queryRows<DeviceRow>(
        em,
        `select d.id, d.code, d.type, d.enabled, o.code as site_id, d.community_id, o.path as community_path, d.compound_id, coalesce(d.grid_id, b.grid_id) as grid_id
         from devices d join org_units o on o.id = d.community_id left join buildings b on b.id = d.building_id
         where d.code in (${placeholders(slice.length)})`,
        slice,
      );
      for (const row of rows) {
        out.set(row.code, {
          id: row.id,
          code: row.code,
          type: row.type,
          siteId: row.site_id,
          enabled: toBoolean(row.enabled) === true,
          place: { communityId: row.community_id, communityPath: row.community_path, compoundId: row.compound_id ?? undefined, gridId: row.grid_id ?? undefined },
        });
      }
    }
    return out;
  }
}
