import { Type } from 'apache-arrow';
import { readParquetTable } from './parquet-table';

export type ParquetCell = number | bigint | string | boolean | Date | null;

/**
 * Every row of a flat Parquet file as an object keyed by column name: numbers, 64-bit integers as bigint,
 * strings, booleans, timestamps and dates as Date, nulls as null. For files of modest size (backfills), not
 * training sets: those are read as columns.
 */
export function readParquetRows(bytes: Uint8Array): Record<string, ParquetCell>[] {
  const table = readParquetTable(bytes);
  const columns = table.schema.fields.map((field) => {
    const vector = table.getChild(field.name)!;
    const asDate = field.typeId === Type.Timestamp || field.typeId === Type.Date;
    return { name: field.name, at: (i: number): ParquetCell => {
      const value = vector.get(i) as ParquetCell;
      return asDate && value !== null ? new Date(value as unknown as number) : value;
    } };
  });
  const rows: Record<string, ParquetCell>[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, ParquetCell> = {};
    for (const column of columns) row[column.name] = column.at(i);
    rows.push(row);
  }
  return rows;
}
