/**
 * What `fastPath` takes and what it leaves to the app: back-channel POSTs to the token, introspection and revocation
 * endpoints never reach the app's pipeline (a global interceptor does not see them); a browser's request (with
 * `Origin`), other methods, other content types and every other route still do. Without `fastPath`, everything does.
 */
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';

/** Paths the app's pipeline saw, in order. */
const seen: string[] = [];

@Injectable()
class Witness implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<{ url?: string; raw?: { url?: string } }>();
    seen.push((req.raw?.url ?? req.url ?? '').split('?')[0]!);
    return next.handle();
  }
}

const SECRET = 'svc-secret-0123456789';
const CLIENT = { clientId: 'svc', clientSecret: SECRET, grantTypes: ['client_credentials'], scopes: ['read'], allowIntrospection: true };
const AUTH = { authorization: basic('svc', SECRET) };

describe.each(testMatrix())('what fastPath takes on %s/%s', (platform, db) => {
  let fast: TestApp;
  let plain: TestApp;
  beforeAll(async () => {
    const spec = { platform, db, providers: [{ provide: APP_INTERCEPTOR, useClass: Witness }] };
    fast = await bootTestApp({ ...spec, options: { scopes: ['read'], clients: [CLIENT], fastPath: true } });
    plain = await bootTestApp({ ...spec, options: { scopes: ['read'], clients: [CLIENT] } });
  });
  afterAll(async () => {
    await fast?.close();
    await plain?.close();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const token = (t: TestApp, headers: Record<string, string> = {}) => postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, { ...AUTH, ...headers });

  it('answers back-channel token, introspection and revocation requests ahead of the app', async () => {
    const { body } = await token(fast);
    expect(typeof body.access_token).toBe('string');
    const introspected = await postForm(`${fast.url}/oauth/introspect`, { token: body.access_token as string }, AUTH);
    expect(introspected.body.active).toBe(true);
    expect((await postForm(`${fast.url}/oauth/revoke`, { token: body.access_token as string }, AUTH)).status).toBe(200);
    expect((await postForm(`${fast.url}/oauth/introspect`, { token: body.access_token as string }, AUTH)).body).toEqual({ active: false });
    expect(seen).toEqual([]);
  });

  it('leaves browsers (Origin), other methods and other content types to the app', async () => {
    expect((await token(fast, { origin: 'https://spa.example' })).status).toBe(200);
    expect((await request(`${fast.url}/oauth/token`)).status).toBe(405);
    expect((await request(`${fast.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...AUTH }, body: '{}' })).status).toBe(400);
    expect((await request(`${fast.url}/.well-known/oauth-authorization-server`)).status).toBe(200);
    expect(seen).toEqual(['/oauth/token', '/oauth/token', '/oauth/token', '/.well-known/oauth-authorization-server']);
  });

  it('is off by default: every request goes through the app', async () => {
    expect((await token(plain)).status).toBe(200);
    expect(seen).toEqual(['/oauth/token']);
  });
});
