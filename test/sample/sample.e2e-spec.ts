import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, request } from '../support/http.js';
import type { Platform } from '../support/matrix.js';

const dir = mkdtempSync(join(tmpdir(), 'authnest-sample-'));
process.env.SAMPLE_DB = join(dir, 'sample.sqlite');
process.env.ISSUER = 'http://127.0.0.1:3000';
process.chdir(dir);

let AppModule: Type;

async function boot(platform: Platform): Promise<{ app: INestApplication; url: string }> {
  const app =
    platform === 'fastify'
      ? await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1') };
}

async function demoToken(url: string, scope: string): Promise<string> {
  const res = await postForm(`${url}/oauth/token`, { grant_type: 'client_credentials', scope }, { authorization: basic('demo-client', 'demo-secret') });
  expect(res.status, res.text).toBe(200);
  return String(res.body.access_token);
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('the sample app (README quick start)', () => {
  beforeAll(async () => {
    ({ AppModule } = await import('../../sample/app.module.js'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let firstToken = '';
  let firstKeys: unknown;

  it.each(['express', 'fastify'] as const)('serves the curl flow on %s, and a restart keeps clients, keys and tokens', async (platform) => {
    const { app, url } = await boot(platform);
    try {
      const token = await demoToken(url, 'profile posts:read');
      const me = await request(`${url}/api/me`, bearer(token));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ sub: 'demo-client', client_id: 'demo-client', scope: ['profile', 'posts:read'] });
      expect((await request(`${url}/api/posts`, bearer(token))).status).toBe(200);
      const write = await request(`${url}/api/posts`, { method: 'POST', ...bearer(token) });
      expect(write.status).toBe(403);
      expect(write.headers.get('www-authenticate')).toContain('scope="posts:write"');
      expect((await request(`${url}/api/restricted`, bearer(token))).status).toBe(403);
      expect((await request(`${url}/api/me`)).status).toBe(401);
      expect((await request(`${url}/health`)).body).toEqual({ status: 'ok' });

      const writer = await demoToken(url, 'posts:write');
      const created = await request(`${url}/api/posts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'second' }),
      });
      expect(created.status).toBe(201);
      expect((await request(`${url}/api/restricted`, bearer(await demoToken(url, 'restricted')))).status).toBe(200);

      const keys = (await request(`${url}/oauth/jwks`)).body;
      if (firstToken) {
        expect((await request(`${url}/api/me`, bearer(firstToken))).status).toBe(200);
        expect(keys).toEqual(firstKeys);
      }
      firstToken = token;
      firstKeys = keys;
    } finally {
      await app.close();
    }
  });
});
