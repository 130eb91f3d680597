/**
 * The installed tarball in fresh Nest apps (issue 11, item 5): an ES module host and a CommonJS host, compiled
 * from test/package/host with the repository's TypeScript, boot `AuthModule.forRoot` as real processes on Express
 * and Fastify, SQLite and (with TEST_DATABASE_URL) PostgreSQL, without any optional peer installed; a
 * client_credentials token then opens the guarded route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { startHost, type RunningHost } from './support/host-process.js';
import { packageWorkspace } from './support/provided-workspace.js';
import { HOST_KINDS } from './support/workspace.js';

const CLIENT_ID = 'package-check';

describe.each(HOST_KINDS)('the installed package in a fresh %s Nest app', (kind) => {
  const host = packageWorkspace().hosts[kind];

  it('compiles (strict, nodenext) against the installed declarations', () => {
    expect(host.compile.ourErrors, host.compile.output).toEqual([]);
    expect(host.compile.ok, host.compile.output).toBe(true);
  });

  describe.each(testMatrix())('on %s with %s', (platform, db) => {
    let app: RunningHost | undefined;
    const issued: string[] = [];

    beforeAll(async () => {
      if (!host.compile.ok) throw new Error(`the ${kind} host did not compile:\n${host.compile.output}`);
      app = await startHost(host, platform, db);
    }, 120_000);
    afterAll(async () => {
      await app?.stop();
    });

    const running = (): RunningHost => app!;
    const token = async (scope: string): Promise<string> => {
      const res = await postForm(`${running().url}/oauth/token`, { grant_type: 'client_credentials', scope }, { authorization: basic(CLIENT_ID, running().clientSecret) });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', scope });
      issued.push(String(res.body.access_token));
      return String(res.body.access_token);
    };
    const posts = (accessToken?: string) =>
      request(`${running().url}/api/posts`, accessToken ? { headers: { authorization: `Bearer ${accessToken}` } } : {});

    it(`runs as ${kind === 'esm' ? 'an ES module' : 'CommonJS'}`, () => {
      expect(running().moduleSystem).toBe(kind === 'esm' ? 'esm' : 'commonjs');
    });

    it('lets a @Public() route through the global BearerAuthGuard', async () => {
      const res = await request(`${running().url}/api/ping`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ ok: true });
    });

    it('answers 401 with a Bearer challenge without a token', async () => {
      const res = await posts();
      expect(res.status, res.text).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    });

    it('serves the guarded route to a client_credentials token with the scope (200)', async () => {
      const res = await posts(await token('posts:read'));
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ clientId: CLIENT_ID, scopes: ['posts:read'] });
    });

    it('answers 403 insufficient_scope to a token without the scope', async () => {
      const res = await posts(await token('profile'));
      expect(res.status, res.text).toBe(403);
      expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    });

    it('refuses a wrong client secret with invalid_client (401)', async () => {
      const res = await postForm(`${running().url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(CLIENT_ID, 'wrong-secret') });
      expect(res.status, res.text).toBe(401);
      expect(res.body.error).toBe('invalid_client');
    });

    it('stops on SIGTERM, having logged no secret and no token', async () => {
      const stopped = running();
      app = undefined;
      expect(['SIGTERM', '0']).toContain(await stopped.stop());
      const output = stopped.output();
      expect(issued.length).toBeGreaterThan(0);
      for (const secret of [...stopped.secrets, ...issued]) expect(output.includes(secret), output).toBe(false);
    });
  });
});
