import { splitLogArguments } from './log-arguments';

describe('splitLogArguments', () => {
  it('takes a trailing string as the context', () => {
    expect(splitLogArguments('m', [{ a: 1 }, 'Ctx'], false)).toEqual({ message: 'm', params: [{ a: 1 }], context: 'Ctx' });
  });

  it('has no context when the last argument is not a string', () => {
    expect(splitLogArguments('m', ['x', 2], false)).toEqual({ message: 'm', params: ['x', 2] });
  });

  it('takes the string before the context as the stack for errors only', () => {
    expect(splitLogArguments('m', ['trace', 'Ctx'], true)).toEqual({ message: 'm', params: [], context: 'Ctx', stack: 'trace' });
    expect(splitLogArguments('m', ['trace', 'Ctx'], false)).toEqual({ message: 'm', params: ['trace'], context: 'Ctx' });
  });

  it('reads a lone stack-trace argument to error() as the stack', () => {
    const stack = 'Error: x\n    at f (/a.ts:1:1)';
    expect(splitLogArguments('m', [stack], true)).toEqual({ message: 'm', params: [], stack });
    expect(splitLogArguments('m', ['Ctx'], true)).toEqual({ message: 'm', params: [], context: 'Ctx' });
  });
});
