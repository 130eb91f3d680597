/**
 * Rotation across instances without coordination (issue 8 item 5): two app instances on one SQLite file or one
 * PostgreSQL schema, with synchronised clocks. A key rotated on A (through `SigningKeys`) or from a shell
 * (`authnest keys rotate`, no restart) is published by B after its next key reload (`signing.reloadInterval`, on
 * use), both switch at the same activation instant, and each one's tokens verify on the other. A revocation from
 * the shell is applied on reload: both drop the key, and instances reloading at once create one replacement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeController, kidOf } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, FakeClock, type TestApp } from '../support/test-app.js';
import {
  databaseFlags,
  expectLocal,
  jwksKids,
  keysCli,
  ROTATION,
  rotatedKid,
  signingKeys,
  signingKid,
  storedKeys,
  svcToken,
  SVC,
} from './support/rotation-helpers.js';

describe.each(testMatrix())('signing-key rotation across two instances on %s/%s', (platform, db) => {
  const clock = new FakeClock(Date.UTC(2032, 5, 1, 8, 0, 0));
  let a: TestApp;
  let b: TestApp;
  let current: string;

  beforeAll(async () => {
    const options = { scopes: ['profile'], clients: [SVC], signing: ROTATION };
    a = await bootTestApp({ platform, db, clock, controllers: [MeController], options });
    b = await bootTestApp({ platform, db, clock, controllers: [MeController], options, database: a.database });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** Both instances' new tokens carry `kid`, and each one's token verifies on both. */
  async function expectBothSignWith(kid: string): Promise<void> {
    const tokens = await Promise.all([svcToken(a), svcToken(b)]);
    expect(tokens.map(kidOf)).toEqual([kid, kid]);
    for (const token of tokens) for (const app of [a, b]) await expectLocal(app, token, 200);
  }

  it('a key rotated on A is published by B after its reload, and both switch at the activation instant', async () => {
    current = await signingKid(a);
    await expectBothSignWith(current);
    const rotated = await signingKeys(a).rotate();
    expect(await jwksKids(a)).toEqual([current, rotated.kid].sort());
    expect(await jwksKids(b)).toEqual([current]);

    clock.advance(60);
    expect(await jwksKids(b)).toEqual([current, rotated.kid].sort());
    clock.advance(839);
    const before = await Promise.all([svcToken(a), svcToken(b)]);
    expect(before.map(kidOf)).toEqual([current, current]);

    clock.advance(1);
    await expectBothSignWith(rotated.kid);
    for (const token of before) for (const app of [a, b]) await expectLocal(app, token, 200);
    current = rotated.kid;
  });

  it('`authnest keys rotate` is picked up by both running instances, which switch at its activation', async () => {
    const rotate = await keysCli(['rotate', ...databaseFlags(a.database)], clock);
    expect(rotate.code, rotate.out).toBe(0);
    const kid = rotatedKid(rotate.out);
    const list = await keysCli(['list', ...databaseFlags(a.database)], clock);
    expect(list.code, list.out).toBe(0);
    // kid, alg, state, signing, created, signs from, published until, revoked: published now, signing later.
    expect(list.out).toMatch(new RegExp(`^${kid}\\tES256\\tpending\\tno\\t\\S+\\t\\S+\\t-\\t-$`, 'm'));
    expect(list.out).not.toMatch(/"d"|v1\./);

    clock.advance(60);
    for (const app of [a, b]) expect(await jwksKids(app)).toContain(kid);
    clock.advance(839);
    expect((await Promise.all([svcToken(a), svcToken(b)])).map(kidOf)).toEqual([current, current]);
    clock.advance(1);
    await expectBothSignWith(kid);
    current = kid;
  });

  it('`authnest keys revoke` is applied on reload: both drop the key and sign with one replacement', async () => {
    const outstanding = await svcToken(a);
    const revoke = await keysCli(['revoke', current, ...databaseFlags(a.database)], clock);
    expect(revoke.code, revoke.out).toBe(0);
    expect(revoke.out).toContain(`revoked signing key ${current} (ES256)`);
    const revokedAt = clock.now();

    clock.advance(60);
    // Both reload at once, find the signing key revoked, and create a replacement between them.
    const [fromA, fromB] = await Promise.all([svcToken(a), svcToken(b)]);
    const created = (await storedKeys(a)).filter((key) => key.createdAt >= revokedAt);
    expect(created).toHaveLength(1);
    const replacement = created[0]!.kid;
    expect([kidOf(fromA), kidOf(fromB)]).toEqual([replacement, replacement]);
    for (const app of [a, b]) {
      expect(await jwksKids(app)).not.toContain(current);
      await expectLocal(app, outstanding, 401);
      for (const token of [fromA, fromB]) await expectLocal(app, token, 200);
    }
  });
});
