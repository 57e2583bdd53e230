import { columnValues, DatasetColumn, InvalidColumnValue } from './dataset-parquet';

const column = (type: DatasetColumn['type'], optional = true): DatasetColumn => ({ name: 'c', type, optional });
const from = (values: unknown[]) => (row: number) => values[row];

describe('columnValues', () => {
  it('turns int64 join keys, digit strings included, into exact 64-bit integers over the whole range', () => {
    const keys = ['9223372036854775807', '-9223372036854775808', 42, '007'];
    const { values, present } = columnValues(column('int64', false), 4, from(keys));
    expect([...(values as BigInt64Array)]).toEqual([2n ** 63n - 1n, -(2n ** 63n), 42n, 7n]);
    expect([...present!]).toEqual([1, 1, 1, 1]);
  });

  it('refuses an int64 outside the range or not an integer, naming the row', () => {
    const err = (() => {
      try {
        columnValues(column('int64'), 2, from([1, '9223372036854775808']));
      } catch (e) {
        return e as InvalidColumnValue;
      }
    })();
    expect(err).toBeInstanceOf(InvalidColumnValue);
    expect(err?.row).toBe(1);
    expect(err?.message).toBe('c must be a int64, got "9223372036854775808"');
    expect(() => columnValues(column('int64'), 1, from([1.5]))).toThrow(InvalidColumnValue);
  });

  it('marks null and missing values absent in optional columns and refuses them in required ones', () => {
    const { values, present } = columnValues(column('float64'), 3, from([1.5, null, undefined]));
    expect([...(values as Float64Array)]).toEqual([1.5, 0, 0]);
    expect([...present!]).toEqual([1, 0, 0]);
    expect(() => columnValues(column('float64', false), 1, from([null]))).toThrow('c is missing');
  });

  it('takes booleans as 0/1, strings as they are and times as epoch milliseconds', () => {
    expect([...(columnValues(column('bool'), 2, from([true, false])).values as Uint8Array)]).toEqual([1, 0]);
    expect(columnValues(column('string'), 2, from(['a', ''])).values).toEqual(['a', '']);
    expect([...(columnValues(column('timestamp'), 1, from([new Date(-1000)])).values as BigInt64Array)]).toEqual([-1000n]);
  });

  it('refuses a value of another type', () => {
    expect(() => columnValues(column('float64'), 1, from(['1']))).toThrow('c must be a float64, got "1"');
    expect(() => columnValues(column('bool'), 1, from([1]))).toThrow(InvalidColumnValue);
    expect(() => columnValues(column('string'), 1, from([1]))).toThrow(InvalidColumnValue);
    expect(() => columnValues(column('timestamp'), 1, from([new Date(NaN)]))).toThrow('c must be a time');
  });
});
