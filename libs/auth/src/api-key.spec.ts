import { apiKeyOf, generateApiKey, parseApiKey } from './api-key';

describe('API key text', () => {
  it('round-trips generated keys, whose secret may itself hold "_" and "-"', () => {
    for (let i = 0; i < 50; i++) {
      const key = generateApiKey();
      expect(key.apiKey).toMatch(/^mlops_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(parseApiKey(key.apiKey)).toEqual({ keyId: key.keyId, secret: key.secret });
    }
    const underscored = apiKeyOf({ keyId: '0123456789abcdef', secret: `_${'a'.repeat(41)}-` });
    expect(parseApiKey(underscored.apiKey)).toEqual({ keyId: '0123456789abcdef', secret: `_${'a'.repeat(41)}-` });
  });

  it.each([
    ['no prefix', '0123456789abcdef_' + 'a'.repeat(43)],
    ['a short key id', 'mlops_0123456789abcde_' + 'a'.repeat(43)],
    ['an upper-case key id', 'mlops_0123456789ABCDEF_' + 'a'.repeat(43)],
    ['a short secret', 'mlops_0123456789abcdef_' + 'a'.repeat(42)],
    ['a secret with padding', 'mlops_0123456789abcdef_' + 'a'.repeat(42) + '='],
  ])('refuses %s', (_what, text) => {
    expect(parseApiKey(text)).toBeUndefined();
  });
});
