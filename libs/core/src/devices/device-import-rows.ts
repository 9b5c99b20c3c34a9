import { parse } from 'csv-parse/sync';
import { DomainError, DomainErrorDetail } from '../shared/domain-error';

/**
 * Turns a bulk-provisioning upload (CSV text or a JSON array) into rows of text values. Only a
 * file that cannot be read at all is refused as a whole; everything about one row is that row's error.
 */

/** Columns an import row may carry. Placement is by code (people fill these files), or by id. */
export const IMPORT_COLUMNS = [
  'code',
  'type',
  'name',
  'communityCode',
  'compoundCode',
  'buildingCode',
  'gridCode',
  'location',
  'vendor',
  'model',
  'serialNumber',
  'communityId',
  'compoundId',
  'buildingId',
  'gridId',
] as const;

export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Big enough for a whole community's devices in one file, small enough for one request. */
export const MAX_IMPORT_ROWS = 5000;

export interface ImportRow {
  /** 1-based, header excluded. */
  row: number;
  values: Partial<Record<ImportColumn, string>>;
  /** Problems found while reading the row (unknown or non-text fields). */
  errors: DomainErrorDetail[];
  /** Not an object at all: there is nothing else to check. */
  unreadable?: boolean;
}

const KNOWN = new Set<string>(IMPORT_COLUMNS);

export function rowsFromCsv(text: string): ImportRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DomainError('validation', `malformed CSV: ${reason}`, [{ message: reason }], { cause: error });
  }
  const [header, ...body] = records;
  if (!header) throw DomainError.validation('the CSV file is empty; the first line must name the columns');
  const unknown = header.filter((column) => !KNOWN.has(column));
  if (unknown.length > 0) {
    throw new DomainError(
      'validation',
      `unknown CSV column ${unknown.join(', ')}; columns are ${IMPORT_COLUMNS.join(', ')}`,
      unknown.map((field) => ({ field, message: `unknown column ${field}` })),
    );
  }
  const repeated = header.filter((column, i) => header.indexOf(column) !== i);
  if (repeated.length > 0) throw DomainError.validation(`CSV column ${repeated[0]} appears twice`, repeated[0]);
  checkRowCount(body.length);
  return body.map((record, index) => {
    const values: ImportRow['values'] = {};
    header.forEach((column, i) => {
      if (record[i] !== undefined && record[i] !== '') values[column as ImportColumn] = record[i];
    });
    return { row: index + 1, values, errors: [] };
  });
}

/** A JSON body `{devices: [...]}`, each element an object of the import columns. */
export function rowsFromJson(body: unknown): ImportRow[] {
  const list = typeof body === 'object' && body !== null ? (body as { devices?: unknown }).devices : undefined;
  if (!Array.isArray(list)) throw DomainError.validation('the body must be {"devices": [...]} or a text/csv file', 'devices');
  checkRowCount(list.length);
  return list.map((element: unknown, index) => {
    const row: ImportRow = { row: index + 1, values: {}, errors: [] };
    if (typeof element !== 'object' || element === null || Array.isArray(element)) {
      row.errors.push({ row: row.row, message: 'each device must be an object' });
      row.unreadable = true;
      return row;
    }
    for (const [key, value] of Object.entries(element)) {
      if (!KNOWN.has(key)) {
        row.errors.push({ row: row.row, field: key, message: `unknown field ${key}` });
      } else if (typeof value === 'string') {
        if (value.trim() !== '') row.values[key as ImportColumn] = value.trim();
      } else if (typeof value === 'number' && Number.isFinite(value)) {
        // Serial numbers and codes typed as numbers in a spreadsheet export.
        row.values[key as ImportColumn] = String(value);
      } else if (value !== null && value !== undefined) {
        row.errors.push({ row: row.row, field: key, message: `${key} must be text` });
      }
    }
    return row;
  });
}

function checkRowCount(count: number): void {
  if (count === 0) throw DomainError.validation('the import holds no devices', 'devices');
  if (count > MAX_IMPORT_ROWS) {
    throw DomainError.validation(`at most ${MAX_IMPORT_ROWS} devices per import; split the file`, 'devices');
  }
}
