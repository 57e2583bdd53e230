import { InvalidLabelSetError, labelSetFromCsv, labelSetFromRows } from './label-set';

const columns = { joinKeys: ['user_id', 'shop'], timestampField: 'ts', labelField: 'label', labelType: 'float64' as const };

describe('label sets', () => {
  it('reads a CSV by header name, with quoted fields and epoch-millisecond times', () => {
    const set = labelSetFromCsv('label,ts,shop,user_id\n1.5,2026-01-01T00:00:00Z,"a,""b""",7\n,1767225600000,x,8\n', columns);
    expect(set.keys.get('user_id')).toEqual(['7', '8']);
    expect(set.keys.get('shop')).toEqual(['a,"b"', 'x']);
    expect(set.timestamps).toEqual([new Date('2026-01-01T00:00:00Z'), new Date(1767225600000)]);
    expect(set.labels).toEqual([1.5, null]);
  });

  it('reads a line break inside a quoted field and counts lines as the file has them', () => {
    const set = labelSetFromCsv('ts,shop,user_id,label\r\n2026-01-01T00:00:00Z,"two\nlines",1,0\r\n2026-01-01T00:00:00Z,x,2,1\r\n', columns);
    expect(set.keys.get('shop')).toEqual(['two\nlines', 'x']);
    expect(() => labelSetFromCsv('ts,shop,user_id\n2026-01-01T00:00:00Z,"a\nb",1\nnot-a-time,x,2', columns)).toThrow(/^entitySource line 4: ts must be/);
  });

  it('refuses a file that is not CSV with the parser\'s reason', () => {
    expect(() => labelSetFromCsv('ts,shop,user_id\n2026-01-01T00:00:00Z,"unclosed,1', columns)).toThrow(/^entitySource: not a readable CSV: Quote Not Closed/);
  });

  it('names the line and the column of a bad value', () => {
    expect(() => labelSetFromCsv('ts,shop,user_id\n2026-01-01,x,1', columns)).toThrow(/line 2: ts must be an ISO-8601/);
    expect(() => labelSetFromCsv('ts,user_id\n', columns)).toThrow(/no column shop/);
    expect(() => labelSetFromCsv('ts,shop,user_id,label\n2026-01-01T00:00:00Z,x,1,abc', columns)).toThrow(InvalidLabelSetError);
  });

  it('checks inline rows against the label type', () => {
    expect(labelSetFromRows([{ user_id: 1, shop: 's', ts: '2026-01-01T00:00:00Z', label: 2 }], columns).labels).toEqual([2]);
    expect(() => labelSetFromRows([{ user_id: 1, shop: 's', ts: '2026-01-01T00:00:00Z', label: 'x' }], columns)).toThrow(
      /entityRows\.0\.label: expected a float64 label/,
    );
  });
});
