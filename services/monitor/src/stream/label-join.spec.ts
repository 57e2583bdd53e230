import { JoinEntry, LabelJoin } from './label-join';

const entry = (offset: number, atMs = offset, role: JoinEntry['role'] = 'champion'): JoinEntry => ({ windowKey: 'churn:1:champion', version: 1, role, seq: 1, score: 0.5, partition: 0, offset, atMs });

describe('LabelJoin', () => {
  it('evicts the oldest waiting prediction at its cap, skipping those already taken or replaced', () => {
    const join = new LabelJoin(3_600_000, 3);
    join.add('a', entry(0));
    join.add('b', entry(1));
    join.add('c', entry(2));
    expect(join.take('a').map((e) => e.offset)).toEqual([0]);
    // Read again after a restart: the newer entry is the one that counts.
    join.add('b', entry(3));
    join.add('d', entry(4));
    join.add('e', entry(5));
    expect(join.size).toBe(3);
    // c was the oldest left (a taken, b replaced by offset 3).
    expect(join.take('c')).toEqual([]);
    expect(['b', 'd', 'e'].map((id) => join.take(id).map((e) => e.offset))).toEqual([[3], [4], [5]]);
  });

  it('gives one label both the prediction that answered the request and its shadow', () => {
    const join = new LabelJoin(3_600_000, 10);
    join.add('r1', entry(0));
    join.add('r1', entry(1, 1, 'shadow'));
    expect(join.take('r1').map((e) => [e.role, e.offset])).toEqual([['champion', 0], ['shadow', 1]]);
    expect(join.take('r1')).toEqual([]);
  });

  it('expires predictions past the horizon and reports where a restart must read from', () => {
    const join = new LabelJoin(1000, 10);
    for (let i = 0; i < 5; i++) join.add(`r${i}`, entry(10 + i, i * 400));
    join.take('r1');
    expect(join.oldestOffsets()).toEqual(new Map([[0, 10]]));
    // At 2000 ms the horizon keeps what arrived from 1000 ms on: r3 (1200) and r4 (1600).
    expect(join.expire(2000)).toBe(2);
    expect(join.size).toBe(2);
    expect(join.oldestOffsets()).toEqual(new Map([[0, 13]]));
  });

  it('keeps exactly what a plain ordered list would, through many more additions and takes than its cap', () => {
    const join = new LabelJoin(3_600_000, 1000);
    const model: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      join.add(`r${i}`, entry(i));
      model.push(i);
      if (model.length > 1000) model.shift();
      if (i % 3 === 0) {
        const taken = join.take(`r${i - 500}`).map((e) => e.offset);
        const at = model.indexOf(i - 500);
        expect(taken).toEqual(at >= 0 ? model.splice(at, 1) : []);
      }
    }
    expect(join.size).toBe(model.length);
    expect(model.filter((i) => join.take(`r${i}`).length === 1)).toEqual(model);
  });
});
