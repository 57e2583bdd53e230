import { lastLines, OutputTail } from './output-tail';

describe('OutputTail', () => {
  it('keeps everything below the limit and counts nothing dropped', () => {
    const tail = new OutputTail(100);
    tail.append(Buffer.from('one\n'));
    tail.append(Buffer.from('two\n'));
    expect(tail.text()).toBe('one\ntwo\n');
    expect(tail.droppedBytes).toBe(0);
  });

  it('keeps the last maxBytes across chunk boundaries and counts what fell off', () => {
    const tail = new OutputTail(10);
    tail.append(Buffer.from('abcdef'));
    tail.append(Buffer.from('ghij'));
    tail.append(Buffer.from('klmno'));
    expect(tail.text()).toBe('fghijklmno');
    expect(tail.droppedBytes).toBe(5);
  });

  it('keeps only the end of a single chunk larger than the limit', () => {
    const tail = new OutputTail(4);
    tail.append(Buffer.from('0123456789'));
    expect(tail.text()).toBe('6789');
    expect(tail.droppedBytes).toBe(6);
  });
});

describe('lastLines', () => {
  it('returns the last non-empty lines, cutting long ones', () => {
    expect(lastLines('a\n\nb\r\nc\n\n', 2)).toEqual(['b', 'c']);
    expect(lastLines('x'.repeat(20), 1, 5)).toEqual(['xxxxx…']);
    expect(lastLines('', 3)).toEqual([]);
  });
});
