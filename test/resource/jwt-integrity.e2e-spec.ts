/**
 * Tampered and odd-shaped JWTs (security checklist items 49 and 50; Authlib 4.13 item 130): the `kid`
 * battery, one flipped bit in each part, truncated or extended signatures, `crit`, and tokens with the
 * wrong number of segments. Every case is a 4xx, never a 500.
 */
import { Controller, Get } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequireScope } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootResourceApp, call, expectInvalidRequest, expectInvalidToken, issueToken } from './support/resource-app.js';
import { accessTokenClaims, b64url, flipBit, segments, serverKey, signAsServer, signRawAsServer } from './support/jwt-forge.js';

@Controller('api')
class MeController {
  @Get('me')
  @RequireScope('profile')
  me() {
    return { ok: true };
  }
}

describe.each(testMatrix())('tampered JWTs on %s/%s', (platform, db) => {
  let t: TestApp;
  let realToken: string;

  beforeAll(async () => {
    t = await bootResourceApp(platform, db, { controllers: [MeController] });
    realToken = await issueToken(t, 'jwt', 'profile');
  });
  afterAll(() => t?.close());

  const me = (token: string) => call(t, '/api/me', { token });

  it('baseline: the real token and a self-minted one are accepted', async () => {
    expect((await me(realToken)).status).toBe(200);
    expect((await me(await signAsServer(t))).status).toBe(200);
  });

  describe('kid battery, signed with the real key (item 49)', () => {
    it.each([
      ['path traversal', '../../../../dev/null'],
      ['SQL', "' OR 1=1 --"],
      ['SQL on the real kid', "x' OR kid LIKE '%"],
      ['NoSQL', '{"$ne":null}'],
      ['empty', ''],
      ['5 kB', 'k'.repeat(5 * 1024)],
      ['integer', 123],
      ['null', null],
      ['object', { $ne: null }],
      ['array', ['a']],
    ])('refuses a %s kid (401 invalid_token)', async (_name, kid) => {
      expectInvalidToken(await me(await signAsServer(t, { header: { kid } })));
    });

    it('refuses a 10 kB kid before verification (400, the token exceeds the header limit)', async () => {
      const res = await me(await signAsServer(t, { header: { kid: 'k'.repeat(10 * 1024) } }));
      expectInvalidRequest(res);
    });

    it('refuses the real kid with different case or padding', async () => {
      const { kid } = serverKey(t);
      for (const variant of [kid.toUpperCase(), ` ${kid}`, `${kid} `, `${kid}\u0000`]) {
        if (variant === kid) continue;
        expectInvalidToken(await me(await signAsServer(t, { header: { kid: variant } })));
      }
    });

    it('keeps answering 401 (not 500) for a burst of unknown kids', async () => {
      const statuses = new Set<number>();
      for (let index = 0; index < 25; index += 1) {
        statuses.add((await me(await signAsServer(t, { header: { kid: `unknown-${index}` } }))).status);
      }
      expect([...statuses]).toEqual([401]);
      expect((await me(realToken)).status).toBe(200);
    });
  });

  describe('signature integrity (item 50)', () => {
    it.each([
      ['header', 0],
      ['payload', 1],
      ['signature', 2],
    ] as const)('refuses one flipped bit in the %s', async (_part, index) => {
      const parts = segments(realToken);
      const length = Buffer.from(parts[index], 'base64url').length;
      for (const byteIndex of [0, Math.floor(length / 2), length - 1]) {
        for (const bit of [0, 7]) {
          const tampered = [...parts];
          tampered[index] = flipBit(parts[index], byteIndex, bit);
          expectInvalidToken(await me(tampered.join('.')));
        }
      }
    });

    it('refuses a truncated, extended, empty or zero signature', async () => {
      const [header, payload, signature] = segments(realToken);
      const raw = Buffer.from(signature, 'base64url');
      for (const tampered of [
        signature.slice(0, -4),
        raw.subarray(0, 32).toString('base64url'),
        `${signature}AAAA`,
        Buffer.concat([raw, Buffer.from([0])]).toString('base64url'),
        '',
        b64url(new Uint8Array(64)),
      ]) {
        expectInvalidToken(await me(`${header}.${payload}.${tampered}`));
      }
    });

    it('refuses the payload of another token under this signature', async () => {
      const other = await signAsServer(t, { claims: { scope: 'profile admin' } });
      const [header, , signature] = segments(realToken);
      expectInvalidToken(await me(`${header}.${segments(other)[1]}.${signature}`));
    });

    it('baseline: a WebCrypto-signed token with the usual header is accepted', async () => {
      expect((await me(await signRawAsServer(t, {}, accessTokenClaims(t)))).status).toBe(200);
    });

    it.each([
      ['an unknown critical parameter', { crit: ['x-unknown'], 'x-unknown': true }],
      ['an empty crit', { crit: [] }],
      ['crit naming an absent parameter', { crit: ['x-absent'] }],
      ['crit that is not an array', { crit: 'x-unknown', 'x-unknown': true }],
      ['an unencoded payload (b64: false)', { b64: false, crit: ['b64'] }],
    ])('refuses %s', async (_name, header) => {
      expectInvalidToken(await me(await signRawAsServer(t, header, accessTokenClaims(t))));
    });
  });

  describe('segment count (item 130)', () => {
    it.each([
      ['2 segments', (parts: string[]) => parts.slice(0, 2).join('.')],
      ['2 segments with a trailing dot', (parts: string[]) => `${parts.slice(0, 2).join('.')}.`],
      ['4 segments', (parts: string[]) => [...parts, parts[2]].join('.')],
      ['5 segments (JWE shape)', (parts: string[]) => [parts[0], '', parts[1], parts[2], parts[2]].join('.')],
      ['6 segments', (parts: string[]) => [...parts, ...parts].join('.')],
      ['1 segment', (parts: string[]) => parts[1]],
      ['dots only', () => '...'],
    ])('refuses %s', async (_name, shape) => {
      const res = await me(shape(segments(realToken)));
      expectInvalidToken(res);
    });
  });
});
