import type { LoadedModel } from '../models/loaded-model';
import type { ModelRoute } from '../models/model-repository';
import { routeRequest, stickyBucket } from './traffic-router';

const model = (version: number) => ({ version }) as LoadedModel;
const none = () => undefined;

function route(challenger: ModelRoute['challenger']): ModelRoute {
  return { modelName: 'churn', revision: 1, champion: model(1), challenger };
}

describe('routeRequest', () => {
  it('splits canary traffic by its weight', () => {
    const canary = route({ mode: 'canary', weight: 0.2, stickyKey: null, model: model(2) });
    expect(routeRequest(canary, { routingKey: none, random: () => 0.19 })).toMatchObject({ role: 'challenger', model: { version: 2 } });
    expect(routeRequest(canary, { routingKey: none, random: () => 0.2 })).toMatchObject({ role: 'champion', model: { version: 1 } });
  });

  it('answers from the champion and hands the shadow the same request', () => {
    const shadow = route({ mode: 'shadow', weight: 0, stickyKey: null, model: model(2) });
    expect(routeRequest(shadow, { routingKey: none, random: () => 0 })).toMatchObject({ role: 'champion', model: { version: 1 }, shadow: { version: 2 } });
  });

  it('pins an ab key to the side its hash falls on, and keyless callers to the champion', () => {
    const ab = route({ mode: 'ab', weight: 0.5, stickyKey: 'user', model: model(2) });
    const sides = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const key = `u${i}`;
      const decision = routeRequest(ab, { routingKey: (name) => (name === 'user' ? key : undefined), random: () => 0 });
      expect(decision?.model.version).toBe(stickyBucket('churn', key) < 0.5 ? 2 : 1);
      sides.add(decision?.model.version ?? 0);
    }
    expect(sides).toEqual(new Set([1, 2]));
    expect(routeRequest(ab, { routingKey: none, random: () => 0 })?.model.version).toBe(1);
  });

  it('serves an explicit version only if it is deployed', () => {
    const canary = route({ mode: 'canary', weight: 0.5, stickyKey: null, model: model(2) });
    expect(routeRequest(canary, { version: 2, routingKey: none, random: () => 0.99 })).toMatchObject({ role: 'challenger' });
    expect(routeRequest(canary, { version: 3, routingKey: none, random: () => 0 })).toBeNull();
  });

  it('hashes deterministically into [0, 1)', () => {
    expect(stickyBucket('churn', 'abc')).toBe(stickyBucket('churn', 'abc'));
    expect(stickyBucket('churn', 'abc')).not.toBe(stickyBucket('other', 'abc'));
    expect(stickyBucket('churn', 'abc')).toBeGreaterThanOrEqual(0);
    expect(stickyBucket('churn', 'abc')).toBeLessThan(1);
  });
});
