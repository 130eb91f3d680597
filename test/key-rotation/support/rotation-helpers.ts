import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import { runAuthnestCli } from '../../../src/cli/authnest.js';
import { SigningKeyEntity, SigningKeys, type AuthDatabaseOptions, type ClientSeed, type SigningKeyInfo } from '../../../src/index.js';
import { authnestDataSource, getMe, issueToken, kidOf, publishedKids } from '../../support/app-helpers.js';
import type { FakeClock, TestApp } from '../../support/test-app.js';
import { TEST_SECRET } from '../../support/test-app.js';
import { request } from '../../support/http.js';

/** A service client (client credentials) with the scope the resource-server routes require. */
export const SVC: ClientSeed & { clientId: string; clientSecret: string } = {
  clientId: 'svc',
  clientSecret: 'svc-secret-000001',
  scopes: ['profile'],
  defaultScopes: ['profile'],
};

/** Key rotation settings of the suites: a key is used 900 s after it is published, reloaded every 60 s. */
export const ROTATION = { encryptionSecret: TEST_SECRET, reloadInterval: 60, propagationDelay: 900 };

/** The app's `SigningKeys`, as a host would inject it. */
export function signingKeys(t: TestApp): SigningKeys {
  return t.app.get(SigningKeys);
}

/** A fresh client-credentials access token of SVC. */
export function svcToken(t: TestApp): Promise<string> {
  return issueToken(t.url, SVC.clientId, SVC.clientSecret);
}

/** The `kid` a new access token of the app carries now. */
export async function signingKid(t: TestApp): Promise<string> {
  return kidOf(await svcToken(t));
}

/** Asserts the app's local bearer guard answers `status` for the token. */
export async function expectLocal(t: TestApp, token: string, status: number): Promise<void> {
  const res = await getMe(t.url, token);
  expect(res.status, res.text).toBe(status);
}

/** The kids the app publishes now, sorted. */
export async function jwksKids(t: TestApp): Promise<string[]> {
  return (await publishedKids(t.url)).sort();
}

/** Verifies a JWT against the JWK Set the app publishes now, at the fake time. */
export async function verifyWithPublishedKeys(t: TestApp, jwt: string, clock: FakeClock): Promise<JWTPayload> {
  const jwks = (await request(`${t.url}/oauth/jwks`)).body as { keys: [] };
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: t.issuer, currentDate: new Date(clock.now()) });
  return payload;
}

/** The state `list()` gives each kid. */
export async function states(t: TestApp): Promise<Record<string, SigningKeyInfo['state']>> {
  return Object.fromEntries((await signingKeys(t).list()).map((key) => [key.kid, key.state]));
}

/** Rows of the signing-key table, straight from the database. */
export function storedKeys(t: TestApp): Promise<SigningKeyEntity[]> {
  return authnestDataSource(t.app).getRepository(SigningKeyEntity).find();
}

/** The database flags of the `authnest keys` CLI for a test database. */
export function databaseFlags(database: AuthDatabaseOptions): string[] {
  if ('dataSource' in database) throw new Error('not a CLI target');
  if (database.type === 'sqlite') return ['--sqlite', database.path!];
  return ['--url', database.url, '--schema', database.schema!];
}

/** Runs `authnest keys ...` in-process at the fake time, collecting what it prints. */
export async function keysCli(
  argv: string[],
  clock: FakeClock,
  env: NodeJS.ProcessEnv = { AUTHNEST_ENCRYPTION_SECRET: TEST_SECRET },
): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const output = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
  const code = await runAuthnestCli(['keys', ...argv], { output, env, clock });
  return { code, out: lines.join('\n') };
}

/** The kid `authnest keys rotate` printed. */
export function rotatedKid(out: string): string {
  const kid = /published signing key (\S+) /.exec(out)?.[1];
  expect(kid, out).toBeDefined();
  return kid!;
}
