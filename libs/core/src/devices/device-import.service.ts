import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Building } from '../org/entities/building.entity';
import { Compound } from '../org/entities/compound.entity';
import { OrgUnit } from '../org/entities/org-unit.entity';
import { Scope } from '../org/scope';
import { DomainError, DomainErrorDetail } from '../shared/domain-error';
import { issueDeviceCredential } from './device-credentials';
import { assertWritable, DEVICE_POPULATE } from './device-access';
import { checkDeviceCode, checkDeviceType, DEVICE_TEXT_FIELDS, DeviceText, textColumns } from './device-fields';
import { ImportRow, rowsFromCsv, rowsFromJson } from './device-import-rows';
import { Placement, placementRefs, PlacementResolver } from './device-placement';
import { Device } from './entities/device.entity';

export interface ImportedDevice {
  row: number;
  device: Device;
  /** Shown once, in this response only. */
  secret: string;
}

export interface DeviceImportResult {
  created: ImportedDevice[];
  errors: DomainErrorDetail[];
}

/** A row that passed every check, waiting to be written. */
interface ReadyRow {
  row: number;
  code: string;
  type: string;
  placement: Placement;
  text: DeviceText;
}

/** Postgres allows 65535 bind parameters per statement; a device row has about 17 columns. */
const INSERT_CHUNK = 500;

/**
 * Bulk provisioning. Each row is checked like a single provisioning (code, type, placement,
 * scope, duplicates in the file and in the registry); good rows are written, bad rows come back
 * as errors with their row number. A row is one device row, so it is written whole or not at all.
 */
@Injectable()
export class DeviceImportService {
  constructor(private readonly em: EntityManager) {}

  importCsv(scope: Scope, text: string): Promise<DeviceImportResult> {
    return this.importRows(scope, rowsFromCsv(text));
  }

  importJson(scope: Scope, body: unknown): Promise<DeviceImportResult> {
    return this.importRows(scope, rowsFromJson(body));
  }

  private async importRows(scope: Scope, rows: ImportRow[]): Promise<DeviceImportResult> {
    const em = this.em.fork();
    const resolver = new PlacementResolver(em);
    const errors: DomainErrorDetail[] = [];
    const ready: ReadyRow[] = [];
    const firstRowOfCode = new Map<string, number>();
    const outsideScope: DomainErrorDetail[] = [];
    for (const row of rows) {
      const result = await checkRow(scope, resolver, row);
      if (result.kind === 'outside_scope') {
        outsideScope.push(result.error);
        continue;
      }
      if (result.kind === 'invalid') {
        errors.push(...result.errors);
        continue;
      }
      const earlier = firstRowOfCode.get(result.ready.code);
      if (earlier !== undefined) {
        errors.push({ row: row.row, field: 'code', message: `code ${result.ready.code} is already in row ${earlier}` });
        continue;
      }
      firstRowOfCode.set(result.ready.code, row.row);
      ready.push(result.ready);
    }
    // Reaching outside one's scope is not a data error to fix row by row: the whole upload is refused.
    if (outsideScope.length > 0) {
      const rowList = outsideScope.map((e) => e.row).join(', ');
      const rowWord = outsideScope.length === 1 ? 'row' : 'rows';
      throw new DomainError('forbidden', `${rowWord} ${rowList} place devices outside your scope; nothing was imported`, outsideScope);
    }
    const fresh = await this.withoutRegisteredCodes(em, ready, errors);
    const created = await this.insert(em, fresh, errors);
    errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    return { created, errors };
  }

  /** Codes already in the registry are row errors (409 in the single path). */
  private async withoutRegisteredCodes(em: EntityManager, ready: ReadyRow[], errors: DomainErrorDetail[]): Promise<ReadyRow[]> {
    const taken = new Set<string>();
    for (let i = 0; i < ready.length; i += INSERT_CHUNK) {
      const codes = ready.slice(i, i + INSERT_CHUNK).map((r) => r.code);
      const rows = await em.find(Device, { code: { $in: codes } }, { fields: ['code'] });
      for (const row of rows) taken.add(row.code);
    }
    return ready.filter((r) => {
      if (!taken.has(r.code)) return true;
      errors.push({ row: r.row, field: 'code', message: `a device with code ${r.code} already exists` });
      return false;
    });
  }

  /**
   * Writes the good rows in one flush (one transaction), in the fork that resolved them. If a
   * concurrent provisioning took a code between the check and the write, the batch rolls back and
   * the rows are written one by one in fresh forks, so only the row that lost the race fails.
   */
  private async insert(em: EntityManager, ready: ReadyRow[], errors: DomainErrorDetail[]): Promise<ImportedDevice[]> {
    if (ready.length === 0) return [];
    try {
      const created = ready.map((r) => build(em, r));
      await em.flush();
      return created;
    } catch (error: unknown) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
    const created: ImportedDevice[] = [];
    for (const r of ready) {
      const fork = this.em.fork();
      const item = build(fork, r, true);
      try {
        await fork.flush();
        await fork.populate(item.device, DEVICE_POPULATE);
        created.push(item);
      } catch (error: unknown) {
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        errors.push({ row: r.row, field: 'code', message: `a device with code ${r.code} already exists` });
      }
    }
    return created;
  }
}

/** `byReference`: the placement rows belong to another fork, so point at them by id. */
function build(em: EntityManager, r: ReadyRow, byReference = false): ImportedDevice {
  const credential = issueDeviceCredential();
  const p = r.placement;
  const ref = <T extends object>(entity: new () => T, row: { id: string } | undefined): T | undefined =>
    row && byReference ? em.getReference(entity, row.id as never) : (row as T | undefined);
  const device = em.create(Device, {
    code: r.code,
    type: r.type,
    credentialHash: credential.hash,
    ...textColumns(r.text),
    community: ref(OrgUnit, p.community)!,
    compound: ref(Compound, p.compound),
    building: ref(Building, p.building),
    grid: ref(OrgUnit, p.grid),
  });
  return { row: r.row, device, secret: credential.secret };
}

type RowCheck =
  | { kind: 'ready'; ready: ReadyRow }
  | { kind: 'invalid'; errors: DomainErrorDetail[] }
  | { kind: 'outside_scope'; error: DomainErrorDetail };

/** Every independent problem of a row at once, so a person fixes the row in one go. */
async function checkRow(scope: Scope, resolver: PlacementResolver, row: ImportRow): Promise<RowCheck> {
  const errors = [...row.errors];
  if (row.unreadable) return { kind: 'invalid', errors };
  const attempt = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (error: unknown) {
      errors.push(...rowErrors(row.row, error));
      return undefined;
    }
  };
  const values = row.values;
  const code = attempt(() => checkDeviceCode(required(values.code, 'code')));
  const type = attempt(() => checkDeviceType(required(values.type, 'type')));
  const text: DeviceText = {};
  for (const field of DEVICE_TEXT_FIELDS) text[field] = values[field];
  attempt(() => textColumns(text));
  let placement: Placement | undefined;
  try {
    const refs = placementRefs(values);
    if (!refs.community) throw DomainError.validation('communityCode is required', 'communityCode');
    placement = await resolver.resolve(refs);
    assertWritable(scope, placement);
  } catch (error: unknown) {
    if (error instanceof DomainError && error.kind === 'forbidden') {
      return { kind: 'outside_scope', error: { row: row.row, message: error.message } };
    }
    errors.push(...rowErrors(row.row, error));
  }
  if (errors.length > 0 || code === undefined || type === undefined || !placement) return { kind: 'invalid', errors };
  return { kind: 'ready', ready: { row: row.row, code, type, placement, text } };
}

function required(value: string | undefined, field: string): string {
  if (value === undefined) throw DomainError.validation(`${field} is required`, field);
  return value;
}

function rowErrors(row: number, error: unknown): DomainErrorDetail[] {
  if (!(error instanceof DomainError)) throw error;
  if (error.details.length === 0) return [{ row, message: error.message }];
  return error.details.map((d) => ({ ...d, row }));
}
