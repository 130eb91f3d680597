import { Controller, Get, type INestApplication } from '@nestjs/common';
import { expect } from 'vitest';
import type { DataSource } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../../src/auth.tokens.js';
import type { AuthDataSource } from '../../src/persistence/auth-data-source.js';
import { CurrentToken, RequireScope, type AccessTokenInfo } from '../../src/index.js';
import { basic, postForm, request, type TestResponse } from './http.js';

/** A guarded route of the host app: what the bearer guard saw of the token. */
@Controller('me')
export class MeController {
  @Get()
  @RequireScope()
  me(@CurrentToken() token: AccessTokenInfo): Record<string, unknown> {
    return { sub: token.sub, clientId: token.clientId, format: token.format, scopes: token.scopes };
  }
}

/** A client_credentials request with Basic authentication. */
export function requestToken(url: string, clientId: string, secret: string, form: Record<string, string> = {}): Promise<TestResponse> {
  return postForm(`${url}/oauth/token`, { grant_type: 'client_credentials', ...form }, { authorization: basic(clientId, secret) });
}

/** Issues an access token to the client, asserting success. */
export async function issueToken(url: string, clientId: string, secret: string, form: Record<string, string> = {}): Promise<string> {
  const res = await requestToken(url, clientId, secret, form);
  expect(res.status, res.text).toBe(200);
  return res.body.access_token as string;
}

/** GETs `/me` (MeController) with a bearer token. */
export function getMe(url: string, accessToken: string): Promise<TestResponse> {
  return request(`${url}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
}

/** The DataSource authnest uses in an app, to snapshot what it stored. */
export function authnestDataSource(app: INestApplication): DataSource {
  return app.get<AuthDataSource>(AUTH_DATA_SOURCE).dataSource;
}

/** The `kid`s published at the app's JWKS endpoint. */
export async function publishedKids(url: string): Promise<string[]> {
  const res = await request(`${url}/oauth/jwks`);
  expect(res.status).toBe(200);
  return (res.body.keys as { kid: string }[]).map((key) => key.kid);
}

/** The `kid` in a JWT's protected header. */
export function kidOf(jwt: string): string {
  return (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid;
}
