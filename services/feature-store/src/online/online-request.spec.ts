import { parseOnlineRequest } from './online-request';

describe('parseOnlineRequest', () => {
  it('accepts entities with string or number join keys and feature refs', () => {
    expect(parseOnlineRequest({ entities: [{ user_id: 1 }, { user_id: '2' }], features: ['v:f'] })).toEqual({
      ok: true,
      request: { entities: [{ user_id: 1 }, { user_id: '2' }], features: ['v:f'] },
    });
  });

  it('names each field that is wrong and why', () => {
    const result = parseOnlineRequest({ entities: [{ user_id: true }], features: [], extra: 1 });
    expect(result.ok).toBe(false);
    const reasons = result.ok ? [] : result.reasons;
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^entities\.0\.user_id: /),
        expect.stringMatching(/^features: .*>=1/),
        expect.stringMatching(/^\(body\): .*extra/),
      ]),
    );
  });
});
