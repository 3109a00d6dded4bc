/**
 * The verifier remembers a token it has verified, so a signed-in person's requests do not each
 * check the signature again; what it remembers never outlives the token, nor a minute.
 */
import type { JWTVerifyGetKey } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, DEFAULT_AUDIENCE, generateSigningKey, LOCAL_ISSUER, localKeys, signToken, TokenRejected } from '../../src/access';

async function setup(expiresInSeconds: number) {
  const key = await generateSigningKey('verifier-test');
  const keys = localKeys({ keys: [key.publicJwk] });
  let keyLookups = 0;
  const counted: JWTVerifyGetKey = (header, token) => {
    keyLookups += 1;
    return keys(header, token);
  };
  let clock = Date.now();
  const verifier = createTokenVerifier({ keys: counted, issuer: LOCAL_ISSUER, audience: DEFAULT_AUDIENCE, now: () => clock });
  const token = await signToken(key, { sub: 'leader-1', role: 'leader', schools: ['S1'], issuer: LOCAL_ISSUER, audience: DEFAULT_AUDIENCE, expiresInSeconds });
  return {
    verifier,
    token,
    lookups: () => keyLookups,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('the token verifier', () => {
  it('when the same token comes again within a minute, then it is accepted without checking its signature again', async () => {
    const t = await setup(3600);
    await expect(t.verifier.verify(t.token)).resolves.toEqual({ sub: 'leader-1', role: 'leader', schools: ['S1'] });
    t.advance(30_000);
    await expect(t.verifier.verify(t.token)).resolves.toEqual({ sub: 'leader-1', role: 'leader', schools: ['S1'] });
    expect(t.lookups()).toBe(1);
  });

  it('when a minute has passed, then the signature is checked again', async () => {
    const t = await setup(3600);
    await t.verifier.verify(t.token);
    t.advance(61_000);
    await t.verifier.verify(t.token);
    expect(t.lookups()).toBe(2);
  });

  it('when a token accepted before has expired since (beyond the clock tolerance), then it is refused as expired', async () => {
    const t = await setup(20);
    await expect(t.verifier.verify(t.token)).resolves.toMatchObject({ sub: 'leader-1' });
    // Within the 30 s tolerance past expiry it still counts, remembered or not.
    t.advance(45_000);
    await expect(t.verifier.verify(t.token)).resolves.toMatchObject({ sub: 'leader-1' });
    t.advance(10_000);
    const refused = await t.verifier.verify(t.token).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TokenRejected);
    expect((refused as TokenRejected).reason).toBe('expired');
  });
});
