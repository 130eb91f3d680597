import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthConfigError, type AuthModuleOptions } from '../../src/index.js';
import { CapturingLogger } from '../rfc7523/support/assertions.js';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootHealthApp, CLIENT } from './support.js';

const FRESH = /^[A-Za-z0-9_-]{16}$/;
const AUTH = { authorization: basic(CLIENT.clientId, CLIENT.clientSecret) };

/** Paths the app's pipeline saw: the fast path's requests never reach it. */
const seen: string[] = [];

@Injectable()
class Witness implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<{ url?: string; raw?: { url?: string } }>();
    seen.push((req.raw?.url ?? req.url ?? '').split('?')[0]!);
    return next.handle();
  }
}

/**
 * The request id on the fast path (answered before Express or Fastify see the request), and the `requestIds` option:
 * off, not trusting incoming ids, another header, and a header name that is not one (the boot stops).
 */
describe.each(testMatrix())('request ids with options on %s/%s', (platform, db) => {
  describe('on the fast path', () => {
    let t: TestApp;
    const logs = new CapturingLogger();
    beforeAll(async () => {
      t = await bootHealthApp(platform, db, { fastPath: true }, { providers: [{ provide: APP_INTERCEPTOR, useClass: Witness }] });
      t.app.useLogger(logs);
    });
    afterAll(() => t?.close());

    it('echoes or generates the id on answers and errors of the fast path, and prefixes its log lines', async () => {
      seen.length = 0;
      const ok = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, { ...AUTH, 'x-request-id': 'fast-200' });
      expect([ok.status, ok.headers.get('x-request-id')]).toEqual([200, 'fast-200']);
      const fresh = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, AUTH);
      expect(fresh.headers.get('x-request-id')).toMatch(FRESH);
      const badRequest = await postForm(`${t.url}/oauth/token`, { grant_type: 'password' }, { ...AUTH, 'x-request-id': 'fast-400' });
      expect([badRequest.status, badRequest.headers.get('x-request-id')]).toEqual([400, 'fast-400']);
      logs.lines.length = 0;
      const bad = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(CLIENT.clientId, 'nope'), 'x-request-id': 'fast-401' });
      expect([bad.status, bad.headers.get('x-request-id')]).toEqual([401, 'fast-401']);
      expect(logs.lines.filter((line) => line.includes('Client authentication failed'))).toEqual([expect.stringMatching(/^\[req=fast-401\] /)]);
      const introspected = await postForm(`${t.url}/oauth/introspect`, { token: ok.body.access_token as string }, { ...AUTH, 'x-request-id': 'fast-introspect' });
      expect([introspected.body.active, introspected.headers.get('x-request-id')]).toEqual([true, 'fast-introspect']);
      expect(seen).toEqual([]);
      // The app's own routes still get theirs.
      const hosted = await request(`${t.url}/context`, { headers: { 'x-request-id': 'app-1' } });
      expect([hosted.body.requestId, hosted.headers.get('x-request-id')]).toEqual(['app-1', 'app-1']);
    });
  });

  describe('off', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootHealthApp(platform, db, { requestIds: { enabled: false }, fastPath: true });
    });
    afterAll(() => t?.close());

    it('sends no id and currentRequestId() is undefined', async () => {
      const res = await request(`${t.url}/context`, { headers: { 'x-request-id': 'ignored' } });
      expect(res.headers.get('x-request-id')).toBeNull();
      expect(res.body).toEqual({});
      const token = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, AUTH);
      expect([token.status, token.headers.get('x-request-id')]).toEqual([200, null]);
    });
  });

  describe('not trusting incoming ids, in another header', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootHealthApp(platform, db, { requestIds: { trustIncoming: false, header: 'X-Correlation-Id' } });
    });
    afterAll(() => t?.close());

    it('replaces even a safe incoming id, and uses the configured header', async () => {
      const res = await request(`${t.url}/context`, { headers: { 'x-correlation-id': 'safe-but-untrusted' } });
      const id = res.headers.get('x-correlation-id');
      expect(id).toMatch(FRESH);
      expect(res.body.requestId).toBe(id);
      expect(res.headers.get('x-request-id')).toBeNull();
    });
  });

  it('refuses a header that is not an HTTP header name, and other shapes, by option path', async () => {
    const boot = (requestIds: unknown) =>
      bootHealthApp(platform, db, { requestIds } as Partial<AuthModuleOptions>).then(
        async (t) => (await t.close(), undefined),
        (error: unknown) => error,
      );
    const error = await boot({ header: 'x request id', enabled: 'yes', trust: true });
    expect(error).toBeInstanceOf(AuthConfigError);
    expect((error as AuthConfigError).problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^requestIds\.header: /),
        expect.stringMatching(/^requestIds\.enabled: /),
        'requestIds.trust: property trust should not exist',
      ]),
    );
  });
});
