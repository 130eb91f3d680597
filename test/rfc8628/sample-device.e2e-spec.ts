import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../support/authorization-flow.js';
import { postForm, request } from '../support/http.js';
import type { Platform } from '../support/matrix.js';
import { approveInBrowser, DEVICE_CODE_GRANT_TYPE, expectResult } from './support/device-app.js';

const dir = mkdtempSync(join(tmpdir(), 'authnest-sample-device-'));
const ISSUER = 'http://127.0.0.1:3999';
process.env.SAMPLE_DB = join(dir, 'sample.sqlite');
process.env.ISSUER = ISSUER;
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

/** The sample seeds the public `demo-device` client: the README's device flow, with curl's requests and alice's browser. */
describe('the sample app: device flow with demo-device', () => {
  beforeAll(async () => {
    ({ AppModule } = await import('../../sample/app.module.js'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['express', 'fastify'] as const)('gets alice\'s tokens for demo-device on %s; the sample API accepts them', async (platform) => {
    const { app, url } = await boot(platform);
    try {
      const metadata = await request(`${url}/.well-known/openid-configuration`);
      expect(metadata.body.device_authorization_endpoint).toBe(`${ISSUER}/oauth/device_authorization`);
      const device = await postForm(`${url}/oauth/device_authorization`, { client_id: 'demo-device', scope: 'openid profile posts:read offline_access' });
      expect(device.status, device.text).toBe(200);
      const pollToken = () => postForm(`${url}/oauth/token`, { grant_type: DEVICE_CODE_GRANT_TYPE, client_id: 'demo-device', device_code: String(device.body.device_code) });
      expect((await pollToken()).body.error).toBe('authorization_pending');
      const browser = new TestBrowser({ url, issuer: ISSUER });
      await expectResult({ issuer: ISSUER }, browser, await approveInBrowser(browser, String(device.body.user_code)), 'approved');
      const tokens = await pollToken();
      expect(tokens.status, tokens.text).toBe(200);
      expect(tokens.body).toMatchObject({ scope: 'openid profile posts:read offline_access', refresh_token: expect.any(String), id_token: expect.any(String) });
      const me = await request(`${url}/api/me`, { headers: { authorization: `Bearer ${String(tokens.body.access_token)}` } });
      expect(me.body).toMatchObject({ sub: 'user-alice', client_id: 'demo-device' });
      expect((await request(`${url}/api/posts`, { headers: { authorization: `Bearer ${String(tokens.body.access_token)}` } })).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
