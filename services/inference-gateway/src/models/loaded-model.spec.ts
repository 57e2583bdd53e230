import type { OrtSession } from './ort-session';
import { LoadedModel } from './loaded-model';

function fakeSession() {
  return { release: jest.fn() } as unknown as OrtSession & { release: jest.Mock };
}

describe('LoadedModel', () => {
  it('releases a retired session only when its last in-flight request ends', () => {
    const session = fakeSession();
    const released = jest.fn();
    const model = new LoadedModel('m', 1, 'a'.repeat(64), session, { inputs: [], outputs: [] }, released);
    const first = model.acquire();
    const second = model.acquire();
    model.retire();
    first();
    first();
    expect(session.release).not.toHaveBeenCalled();
    expect(model.inFlight).toBe(1);
    second();
    expect(session.release).toHaveBeenCalledTimes(1);
    expect(released).toHaveBeenCalledWith(model);
    expect(() => model.acquire()).toThrow(/released/);
  });

  it('releases an idle session as soon as it is retired', () => {
    const session = fakeSession();
    const model = new LoadedModel('m', 1, 'a'.repeat(64), session, { inputs: [], outputs: [] });
    model.retire();
    expect(session.release).toHaveBeenCalledTimes(1);
    expect(model.isReleased).toBe(true);
  });
});
