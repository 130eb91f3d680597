import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeWithLogin, clientRedirect, formOf, pkce, TestBrowser } from '../support/authorization-flow.js';
import { basic, postForm, request } from '../support/http.js';
import type { Platform } from '../support/matrix.js';

/** A free loopback port: the sample's issuer must be its real URL, since the separate API fetches metadata from it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const dir = mkdtempSync(join(tmpdir(), 'authnest-sample-'));
const PORT = await freePort();
const ISSUER = `http://127.0.0.1:${PORT}`;
process.env.SAMPLE_DB = join(dir, 'sample.sqlite');
process.env.ISSUER = ISSUER;
const CLIENT_PORT = await freePort();
const CLIENT_URL = `http://127.0.0.1:${CLIENT_PORT}`;
process.env.AUTH_ISSUER = ISSUER;
process.env.SAMPLE_CLIENT_URL = CLIENT_URL;
process.env.SAMPLE_CLIENT_DB = join(dir, 'client.sqlite');
process.chdir(dir);

let AppModule: Type;
let ApiModule: Type;
let ClientAppModule: Type;

async function boot(platform: Platform, module = AppModule, port = PORT): Promise<{ app: INestApplication; url: string }> {
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(module, { logger: false });
  await app.listen(port, '127.0.0.1');
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
    ({ ApiModule } = await import('../../sample/api-server/api.module.js'));
    ({ ClientAppModule } = await import('../../sample/client/client-app.module.js'));
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

  it.each(['express', 'fastify'] as const)('serves the browser flow for demo-spa and the separate API on %s', async (platform) => {
    const { app, url } = await boot(platform);
    const api = await boot(platform, ApiModule, 0);
    try {
      const browser = new TestBrowser({ url, issuer: ISSUER });
      const { verifier, challenge } = pkce();
      const redirectUri = 'http://127.0.0.1:8080/callback';
      const done = await authorizeWithLogin(browser, {
        response_type: 'code', client_id: 'demo-spa', redirect_uri: redirectUri, scope: 'profile posts:read',
        state: 's1', code_challenge: challenge, code_challenge_method: 'S256',
      });
      const params = clientRedirect(done, redirectUri);
      expect(params.get('state')).toBe('s1');
      expect(params.get('iss')).toBe(ISSUER);
      const tokens = await postForm(`${url}/oauth/token`, {
        grant_type: 'authorization_code', client_id: 'demo-spa', code: params.get('code')!, redirect_uri: redirectUri, code_verifier: verifier,
      });
      expect(tokens.status, tokens.text).toBe(200);
      expect(tokens.body.refresh_token).toEqual(expect.any(String));
      const me = await request(`${url}/api/me`, bearer(String(tokens.body.access_token)));
      expect(me.body).toMatchObject({ sub: 'user-alice', client_id: 'demo-spa' });

      const opaque = await demoToken(url, 'api');
      expect(opaque.split('.')).toHaveLength(1);
      const apiUrl = api.url;
      expect((await request(`${apiUrl}/api/posts`, bearer(opaque))).status).toBe(200);
      expect((await request(`${apiUrl}/api/posts/restricted`, bearer(opaque))).status).toBe(403);
      expect((await request(`${apiUrl}/api/posts/restricted`, bearer(await demoToken(url, 'restricted')))).status).toBe(200);
      expect((await request(`${apiUrl}/api/posts`)).status).toBe(401);
      // Revoked: introspection says so at once; the API (which caches active answers briefly) refuses it when not cached.
      const revoke = (token: string) => postForm(`${url}/oauth/revoke`, { token }, { authorization: basic('demo-client', 'demo-secret') });
      expect((await revoke(opaque)).status).toBe(200);
      const introspected = await postForm(`${url}/oauth/introspect`, { token: opaque }, { authorization: basic('demo-api', 'demo-api-secret') });
      expect(introspected.body).toEqual({ active: false });
      const unused = await demoToken(url, 'api');
      expect((await revoke(unused)).status).toBe(200);
      expect((await request(`${apiUrl}/api/posts`, bearer(unused))).status).toBe(401);
    } finally {
      await api.app.close();
      await app.close();
    }
  });

  it.each(['express', 'fastify'] as const)('logs alice in to demo-client with openid profile email on %s; /api/me answers her claims', async (platform) => {
    const { app, url } = await boot(platform);
    try {
      const discovery = await request(`${url}/.well-known/openid-configuration`);
      expect(discovery.body).toMatchObject({ issuer: ISSUER, userinfo_endpoint: `${ISSUER}/oauth/userinfo`, end_session_endpoint: `${ISSUER}/oauth/logout` });
      const browser = new TestBrowser({ url, issuer: ISSUER });
      const { verifier, challenge } = pkce();
      const redirectUri = 'http://127.0.0.1:8080/callback';
      const done = await authorizeWithLogin(browser, {
        response_type: 'code', client_id: 'demo-client', redirect_uri: redirectUri, scope: 'openid profile email',
        state: 's2', nonce: `n-${platform}`, code_challenge: challenge, code_challenge_method: 'S256',
      });
      const code = clientRedirect(done, redirectUri).get('code')!;
      const tokens = await postForm(
        `${url}/oauth/token`,
        { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier },
        { authorization: basic('demo-client', 'demo-secret') },
      );
      expect(tokens.status, tokens.text).toBe(200);
      const idToken = decodeJwt(String(tokens.body.id_token));
      expect(idToken).toMatchObject({ iss: ISSUER, sub: 'user-alice', aud: 'demo-client', nonce: `n-${platform}` });
      const claims = { sub: 'user-alice', name: 'Alice Example', preferred_username: 'alice', email: 'alice@example.com', email_verified: true };
      expect((await request(`${url}/api/me`, bearer(String(tokens.body.access_token)))).body).toEqual({ ...claims, client_id: 'demo-client' });
      expect((await request(`${url}/oauth/userinfo`, bearer(String(tokens.body.access_token)))).body).toEqual(claims);

      const logout = await browser.get(
        `/oauth/logout?${new URLSearchParams({ id_token_hint: String(tokens.body.id_token), post_logout_redirect_uri: 'http://127.0.0.1:8080/logged-out', state: 'bye' })}`,
      );
      expect(logout.status, logout.text).toBe(303);
      expect(logout.headers.get('location')).toBe('http://127.0.0.1:8080/logged-out?state=bye');
      expect((await request(`${url}/api/me`, bearer(String(tokens.body.access_token)))).status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it.each(['express', 'fastify'] as const)('npm run sample:client logs alice in at the sample server, calls the API as her, and signs out on %s', async (platform) => {
    const { app, url } = await boot(platform);
    const client = await boot(platform, ClientAppModule, CLIENT_PORT);
    try {
      const browser = new TestBrowser({ url, issuer: ISSUER });
      expect((await browser.get(`${CLIENT_URL}/`)).text).toContain('Not signed in');
      const authorize = (await browser.get(`${CLIENT_URL}/login`)).headers.get('location')!;
      expect(authorize.startsWith(`${ISSUER}/oauth/authorize?`)).toBe(true);
      const login = await browser.follow(await browser.get(authorize));
      const form = formOf(login.text);
      let next = await browser.post(form.action, { csrf: form.csrf, username: 'alice', password: 'alice-password' });
      if (!next.headers.get('location')!.startsWith(CLIENT_URL)) {
        const consent = formOf((await browser.follow(next)).text);
        next = await browser.post(consent.action, { csrf: consent.csrf, decision: 'approve' });
      }
      expect((await browser.get(next.headers.get('location')!)).status).toBe(303);
      const home = await browser.get(`${CLIENT_URL}/`);
      expect(home.text).toContain('Signed in as Alice Example');
      const posts = await browser.get(`${CLIENT_URL}/posts`);
      expect(posts.body).toMatchObject({ status: 200, posts: [{ id: 1, title: 'Hello from authnest', author: 'alice' }] });
      const out = await browser.post(`${CLIENT_URL}/logout`, {});
      const endSession = out.headers.get('location')!;
      expect(endSession.startsWith(`${ISSUER}/oauth/logout?`)).toBe(true);
      const back = await browser.get(endSession);
      expect(back.headers.get('location')).toBe(`${CLIENT_URL}/logged-out`);
      expect((await browser.get(`${CLIENT_URL}/`)).text).toContain('Not signed in');
    } finally {
      await client.app.close();
      await app.close();
    }
  });
});
