import { ThriftCompactWriter } from './thrift-compact-writer';

/**
 * The parts of parquet.thrift (Apache Parquet format) this writer emits: flat schemas, DATA_PAGE v1 pages,
 * PLAIN values, RLE definition levels, no compression. Numbers are the enum values and field ids of the spec.
 */
export type ParquetColumnType = 'int64' | 'double' | 'boolean' | 'string' | 'timestamp-millis';

export interface ParquetColumn {
  name: string;
  type: ParquetColumnType;
  optional: boolean;
}

const PHYSICAL_TYPE = { boolean: 0, int64: 2, double: 5, string: 6, 'timestamp-millis': 2 } as const;
const REPETITION = { REQUIRED: 0, OPTIONAL: 1 } as const;
const CONVERTED_TYPE = { UTF8: 0, TIMESTAMP_MILLIS: 9 } as const;
export const ENCODING = { PLAIN: 0, RLE: 3 } as const;
const CODEC_UNCOMPRESSED = 0;
const PAGE_TYPE_DATA_PAGE = 0;

export interface ColumnChunkInfo {
  column: ParquetColumn;
  values: number;
  nulls: number;
  bytes: number;
  dataPageOffset: number;
}

export interface RowGroupInfo {
  rows: number;
  chunks: ColumnChunkInfo[];
}

/** Header of a DATA_PAGE (v1) holding `values` values (nulls included), PLAIN, levels RLE. */
export function dataPageHeader(values: number, pageBytes: number): Buffer {
  return new ThriftCompactWriter()
    .structValue((w) =>
      w
        .i32(1, PAGE_TYPE_DATA_PAGE)
        .i32(2, pageBytes)
        .i32(3, pageBytes)
        .struct(5, (d) => d.i32(1, values).i32(2, ENCODING.PLAIN).i32(3, ENCODING.RLE).i32(4, ENCODING.RLE)),
    )
    .bytes();
}

/** The FileMetaData footer. Writers set the deprecated ColumnChunk.file_offset to 0 when no metadata is outside the footer. */
export function fileMetaData(columns: ParquetColumn[], rowGroups: RowGroupInfo[], createdBy: string): Buffer {
  const rows = rowGroups.reduce((sum, g) => sum + g.rows, 0);
  return new ThriftCompactWriter()
    .structValue((w) =>
      w
        .i32(1, 1)
        .structList(2, [null, ...columns], (s, column) => (column ? schemaElement(s, column) : s.binary(4, 'schema').i32(5, columns.length)))
        .i64(3, rows)
        .structList(4, rowGroups, (g, group) =>
          g
            .structList(1, group.chunks, (c, chunk) => c.i64(2, 0).struct(3, (m) => columnMetaData(m, chunk)))
            .i64(2, group.chunks.reduce((sum, c) => sum + c.bytes, 0))
            .i64(3, group.rows),
        )
        .binary(6, createdBy),
    )
    .bytes();
}

function schemaElement(w: ThriftCompactWriter, column: ParquetColumn): void {
  w.i32(1, PHYSICAL_TYPE[column.type]).i32(3, column.optional ? REPETITION.OPTIONAL : REPETITION.REQUIRED).binary(4, column.name);
  // Both the legacy converted type and the logical type, so old and new readers agree on the meaning.
  if (column.type === 'string') {
    w.i32(6, CONVERTED_TYPE.UTF8).struct(10, (l) => l.struct(1, () => undefined));
  } else if (column.type === 'timestamp-millis') {
    w.i32(6, CONVERTED_TYPE.TIMESTAMP_MILLIS).struct(10, (l) =>
      l.struct(8, (t) => t.bool(1, true).struct(2, (unit) => unit.struct(1, () => undefined))),
    );
  }
}

function columnMetaData(w: ThriftCompactWriter, chunk: ColumnChunkInfo): void {
  w.i32(1, PHYSICAL_TYPE[chunk.column.type])
    .i32List(2, chunk.column.optional ? [ENCODING.PLAIN, ENCODING.RLE] : [ENCODING.PLAIN])
    .binaryList(3, [chunk.column.name])
    .i32(4, CODEC_UNCOMPRESSED)
    .i64(5, chunk.values)
    .i64(6, chunk.bytes)
    .i64(7, chunk.bytes)
    .i64(9, chunk.dataPageOffset)
    .struct(12, (s) => s.i64(3, chunk.nulls));
}
