import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { DomainError } from '../shared/domain-error';
import { BuildingsService } from './buildings.service';
import { CompoundsService } from './compounds.service';
import { GridWorkersService } from './grid-workers.service';
import { ORG_LEVEL_ORDER, OrgLevel } from './org-level';
import { parseImportCsv } from './org-import.csv';
import {
  buildingRow,
  compoundRow,
  gridWorkerRow,
  IMPORT_KINDS,
  ImportKind,
  JSON_KEYS,
  partyRow,
  propertyCompanyRow,
  unitRow,
} from './org-import.rows';
import { OrgUnitsService } from './org-units.service';
import { PartiesService } from './parties.service';
import { PropertyCompaniesService } from './property-companies.service';
import { Scope } from './scope';

export interface ImportRowError {
  kind: ImportKind;
  /** 1-based position of the row in its kind's list (CSV: header excluded). */
  row: number;
  field?: string;
  message: string;
}

export interface ImportResult {
  created: number;
  failed: number;
  errors: ImportRowError[];
}

/** One row to apply: its raw value, or why it could not even be read. */
type Entry = { row: number; raw: unknown } | { row: number; problem: string };

type Prepared = { run: () => Promise<unknown> } | { issues: { field?: string; message: string }[] };

export const MAX_IMPORT_ROWS = 20_000;

/**
 * Bulk import of the org tree. Each row is applied on its own through the same service call as
 * the single-row API, in its own transaction: a row goes in whole or not at all, and a bad
 * row is reported (kind, row, field, message) without stopping the rows after it. Rows outside
 * the caller's scope are row errors; an import wholly outside it is refused with 403.
 */
@Injectable()
export class OrgImportService {
  constructor(
    private readonly units: OrgUnitsService,
    private readonly companies: PropertyCompaniesService,
    private readonly compounds: CompoundsService,
    private readonly buildings: BuildingsService,
    private readonly gridWorkers: GridWorkersService,
    private readonly parties: PartiesService,
  ) {}

  /** A JSON import of one or several kinds, applied parents first so rows may reference earlier ones. */
  async importJson(scope: Scope, body: unknown): Promise<ImportResult> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw DomainError.validation(`an import is a JSON object with the keys ${Object.values(JSON_KEYS).join(', ')}`);
    }
    const record = body as Record<string, unknown>;
    const known = Object.values(JSON_KEYS);
    const unknown = Object.keys(record).filter((key) => !known.includes(key));
    if (unknown.length > 0) throw DomainError.validation(`unknown import key ${unknown[0]}; allowed: ${known.join(', ')}`, unknown[0]);
    const batches: [ImportKind, Entry[]][] = [];
    for (const kind of IMPORT_KINDS) {
      const rows = record[JSON_KEYS[kind]];
      if (rows === undefined || rows === null) continue;
      if (!Array.isArray(rows)) throw DomainError.validation(`${JSON_KEYS[kind]} must be an array of rows`, JSON_KEYS[kind]);
      batches.push([kind, rows.map((raw: unknown, i) => ({ row: i + 1, raw }))]);
    }
    checkSize(batches.reduce((n, [, entries]) => n + entries.length, 0));
    return this.apply(scope, batches);
  }

  /** A CSV import of one kind (header row first); `text` is whatever the adapter received. */
  async importCsv(scope: Scope, kind: string, text: unknown): Promise<ImportResult> {
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
      throw DomainError.validation(`unknown import kind ${kind}; allowed: ${IMPORT_KINDS.join(', ')}`, 'kind');
    }
    if (typeof text !== 'string' || text.trim() === '') {
      throw DomainError.validation('send the CSV as the request body, with Content-Type text/csv and a header row');
    }
    const importKind = kind as ImportKind;
    const rows = parseImportCsv(importKind, text);
    checkSize(rows.length);
    const entries = rows.map((r, i): Entry => ('problem' in r ? { row: i + 1, problem: r.problem } : { row: i + 1, raw: r.values }));
    return this.apply(scope, [[importKind, entries]]);
  }

  private async apply(scope: Scope, batches: [ImportKind, Entry[]][]): Promise<ImportResult> {
    const result: ImportResult = { created: 0, failed: 0, errors: [] };
    let refusedForScope = 0;
    for (const [kind, entries] of batches) {
      for (const entry of kind === 'units' ? parentsFirst(entries) : entries) {
        const errors = await this.applyRow(scope, kind, entry);
        if (errors === 'created') {
          result.created += 1;
          continue;
        }
        result.failed += 1;
        result.errors.push(...errors.list.map((e) => ({ kind, row: entry.row, ...e })));
        if (errors.forbidden) refusedForScope += 1;
      }
    }
    // Rows were applied parents first; report them in file order.
    result.errors.sort((x, y) => IMPORT_KINDS.indexOf(x.kind) - IMPORT_KINDS.indexOf(y.kind) || x.row - y.row);
    if (result.created === 0 && result.failed > 0 && refusedForScope === result.failed) {
      throw new DomainError(
        'forbidden',
        'every row of the import is outside your scope',
        result.errors.map((e) => ({ row: e.row, field: e.field, message: `${e.kind}: ${e.message}` })),
      );
    }
    return result;
  }

  private async applyRow(
    scope: Scope,
    kind: ImportKind,
    entry: Entry,
  ): Promise<'created' | { list: { field?: string; message: string }[]; forbidden: boolean }> {
    if ('problem' in entry) return { list: [{ message: entry.problem }], forbidden: false };
    const prepared = this.prepare(scope, kind, entry.raw);
    if ('issues' in prepared) return { list: prepared.issues, forbidden: false };
    try {
      await prepared.run();
      return 'created';
    } catch (error: unknown) {
      if (!(error instanceof DomainError)) throw error;
      const field = error.details.find((d) => d.field !== undefined)?.field;
      return { list: [{ ...(field ? { field } : {}), message: error.message }], forbidden: error.kind === 'forbidden' };
    }
  }

  private prepare(scope: Scope, kind: ImportKind, raw: unknown): Prepared {
    switch (kind) {
      case 'units':
        return parseRow(unitRow, raw, (row) => this.units.create(scope, row));
      case 'property-companies':
        return parseRow(propertyCompanyRow, raw, (row) => this.companies.create(scope, row));
      case 'compounds':
        return parseRow(compoundRow, raw, (row) => this.compounds.create(scope, row));
      case 'buildings':
        return parseRow(buildingRow, raw, (row) => this.buildings.create(scope, row));
      case 'grid-workers':
        return parseRow(gridWorkerRow, raw, (row) => this.gridWorkers.create(scope, row));
      case 'parties':
        return parseRow(partyRow, raw, (row) => this.parties.create(scope, row));
    }
  }
}

function parseRow<T>(schema: z.ZodType<T>, raw: unknown, run: (row: T) => Promise<unknown>): Prepared {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { issues: [{ message: 'a row must be an object' }] };
  // Blank values mean "not given", as an empty CSV cell does.
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null && v !== ''));
  const parsed = schema.safeParse(given);
  if (parsed.success) return { run: () => run(parsed.data) };
  return {
    issues: parsed.error.issues.map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const field = keys.length > 0 ? keys.join(', ') : issue.path.map(String).join('.');
      return { ...(field ? { field } : {}), message: `${field || 'row'}: ${issue.message}` };
    }),
  };
}

/** Units sorted city first, so a file may list a child before its parent; row numbers stay. */
function parentsFirst(entries: Entry[]): Entry[] {
  const rank = (entry: Entry): number => {
    const level = 'raw' in entry && typeof entry.raw === 'object' && entry.raw !== null ? (entry.raw as { level?: unknown }).level : undefined;
    const index = ORG_LEVEL_ORDER.indexOf(level as OrgLevel);
    return index === -1 ? ORG_LEVEL_ORDER.length : index;
  };
  return [...entries].sort((a, b) => rank(a) - rank(b));
}

function checkSize(rows: number): void {
  if (rows > MAX_IMPORT_ROWS) throw DomainError.validation(`an import holds at most ${MAX_IMPORT_ROWS} rows; split the file`);
}
