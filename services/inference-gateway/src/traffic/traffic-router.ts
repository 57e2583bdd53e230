import { createHash } from 'node:crypto';
import type { LoadedModel } from '../models/loaded-model';
import type { ModelRoute } from '../models/model-repository';

export type Role = 'champion' | 'challenger' | 'shadow';

export interface RoutingInput {
  /** A version the caller asked for explicitly; it bypasses the split. */
  version?: number;
  /** Looks up a request parameter or header by name, for ab stickiness. */
  routingKey: (name: string) => string | undefined;
  /** Uniform in [0, 1); injected so the split can be tested without chance. */
  random: () => number;
}

export interface RoutingDecision {
  model: LoadedModel;
  role: Exclude<Role, 'shadow'>;
  /** Scores the same request off the response path. */
  shadow: LoadedModel | null;
}

/** null when nothing serves the request: no champion, or an explicit version that is not deployed. */
export function routeRequest(route: ModelRoute, input: RoutingInput): RoutingDecision | null {
  const { champion, challenger } = route;
  if (input.version !== undefined) {
    if (champion?.version === input.version) return { model: champion, role: 'champion', shadow: null };
    if (challenger?.model.version === input.version) return { model: challenger.model, role: 'challenger', shadow: null };
    return null;
  }
  if (!champion) return null;
  if (!challenger) return { model: champion, role: 'champion', shadow: null };
  switch (challenger.mode) {
    case 'shadow':
      return { model: champion, role: 'champion', shadow: challenger.model };
    case 'canary':
      return input.random() < challenger.weight ? { model: challenger.model, role: 'challenger', shadow: null } : { model: champion, role: 'champion', shadow: null };
    case 'ab': {
      const key = challenger.stickyKey ? input.routingKey(challenger.stickyKey) : undefined;
      // Without the key there is nothing to be sticky on: such callers all get the champion.
      if (key === undefined || key === '') return { model: champion, role: 'champion', shadow: null };
      return stickyBucket(route.modelName, key) < challenger.weight
        ? { model: challenger.model, role: 'challenger', shadow: null }
        : { model: champion, role: 'champion', shadow: null };
    }
  }
}

/** Same key, same model: same bucket on every replica and across restarts; the model name decorrelates models. */
export function stickyBucket(modelName: string, key: string): number {
  const digest = createHash('sha256').update(modelName).update('\0').update(key).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}
