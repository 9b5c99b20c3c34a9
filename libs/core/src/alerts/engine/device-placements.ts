import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { placeholders, queryRows } from '../../telemetry/sql';

/** Where a device sits, as an alert records it. */
export interface AlertPlacement {
  deviceId: string;
  deviceType: string;
  communityId: string;
  communityPath: string;
  compoundId?: string;
  /** The device's grid, or its building's when the device has none. */
  gridId?: string;
}

interface PlacementRow {
  id: string;
  type: string;
  community_id: string;
  community_path: string;
  compound_id: string | null;
  grid_id: string | null;
}

/** Devices rarely move: a moved device raises in its new place within half a minute; a busy one costs a lookup per TTL. */
export const PLACEMENT_TTL_MS = 30_000;
const MAX_ENTRIES = 50_000;
const SLICE = 1000;

/**
 * Placements of the devices an alert is raised for without a stored message to bring one (a
 * device gone offline, a silent care-watch household; stored events carry theirs): one query
 * for the misses, cached for a few seconds.
 */
@Injectable()
export class DevicePlacements {
  private readonly cache = new Map<string, { placement: AlertPlacement | null; expiresAt: number }>();

  async load(em: EntityManager, deviceIds: Iterable<string>, now = Date.now()): Promise<Map<string, AlertPlacement>> {
    const found = new Map<string, AlertPlacement>();
    const missing: string[] = [];
    for (const id of new Set(deviceIds)) {
      const cached = this.cache.get(id);
      if (cached && cached.expiresAt > now) {
        if (cached.placement) found.set(id, cached.placement);
      } else missing.push(id);
    }
    for (let i = 0; i < missing.length; i += SLICE) {
      const slice = missing.slice(i, i + SLICE);
      const rows = await queryRows<PlacementRow>(
        em,
        `select d.id, d.type, d.community_id, o.path as community_path, d.compound_id, coalesce(d.grid_id, b.grid_id) as grid_id
         from devices d join org_units o on o.id = d.community_id left join buildings b on b.id = d.building_id
         where d.id in (${placeholders(slice.length)})`,
        slice,
      );
      const loaded = new Map(rows.map((r) => [r.id, r]));
      for (const id of slice) {
        const row = loaded.get(id);
        const placement: AlertPlacement | null = row
          ? {
              deviceId: row.id,
              deviceType: row.type,
              communityId: row.community_id,
              communityPath: row.community_path,
              compoundId: row.compound_id ?? undefined,
              gridId: row.grid_id ?? undefined,
            }
          : null;
        this.remember(id, placement, now);
        if (placement) found.set(id, placement);
      }
    }
    return found;
  }

  clear(): void {
    this.cache.clear();
  }

  private remember(id: string, placement: AlertPlacement | null, now: number): void {
    this.cache.delete(id);
    this.cache.set(id, { placement, expiresAt: now + PLACEMENT_TTL_MS });
    if (this.cache.size > MAX_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
  }
}
