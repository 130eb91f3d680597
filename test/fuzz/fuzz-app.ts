import { exportJWK, generateKeyPair } from 'jose';
import { expect } from 'vitest';
import { DEVICE_CODE_GRANT_TYPE, JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT, type ClientSeed } from '../../src/index.js';
import { ALICE, CLIENT_SEEDS, INTROSPECTOR, issueCode, redeem, REDIRECT, expectTokens, SPA, WEB, type TestClient } from '../grants/grant-helpers.js';
import { issueToken } from '../support/app-helpers.js';
import { pkce } from '../support/authorization-flow.js';
import type { Database, Platform } from '../support/matrix.js';
import { InMemoryAccountService, TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { startDevice } from '../rfc8628/support/device-app.js';
import { pushForm, pushOk } from '../rfc9126/support.js';
import { register } from '../rfc7591/support.js';
import { TestExchangePolicyModule } from '../rfc8693/support.js';
import { ApiController } from '../token-endpoint/helpers.js';
import { applyTweak, type CredentialRef, type CredentialValue } from './values.js';
import type { Resolve } from './requests.js';

export const FUZZ_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'a', 'b', 'c'];
export const LOGOUT_REDIRECT = 'https://client.test/bye';

/** A confidential client with every grant (so every grant handler is reachable) and logout and introspection rights. */
export const RP: ClientSeed = {
  clientId: 'fuzz-rp',
  clientSecret: 'fuzz-rp-secret-00001',
  authMethods: ['client_secret_basic', 'client_secret_post'],
  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT_TYPE, JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT],
  scopes: ['openid', 'profile', 'email', 'offline_access', 'a', 'b'],
  redirectUris: [REDIRECT],
  postLogoutRedirectUris: [LOGOUT_REDIRECT],
  allowIntrospection: true,
};
/** A public device client. */
export const TV: ClientSeed = { clientId: 'fuzz-tv', grantTypes: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'], scopes: ['openid', 'a'] };
/** A client whose access tokens are opaque. */
export const OPAQUE: ClientSeed = { clientId: 'fuzz-opaque', clientSecret: 'fuzz-opaque-secret-01', scopes: ['a'], accessTokenFormat: 'opaque' };
export const RP_CLIENT: TestClient = { id: RP.clientId, secret: RP.clientSecret };

/** The grant suites' clients the fuzz names (a confidential web client, a public one, a resource server). */
const GRANT_SEEDS = CLIENT_SEEDS.filter((seed) => [WEB.id, SPA.id, INTROSPECTOR.id].includes(seed.clientId));
/** Every client of the fuzz app (each secret costs a scrypt at boot: no more than needed). */
const SEEDS = [...GRANT_SEEDS, RP, TV, OPAQUE];

/** Every redirect target a browser endpoint may send the browser to (besides the issuer's own pages). */
export const REGISTERED_URIS: readonly string[] = [...new Set(SEEDS.flatMap((seed) => [...(seed.redirectUris ?? []), ...(seed.postLogoutRedirectUris ?? [])]))];

/** Credentials reused across requests until the database changes (a revocation or a rotation may have spent them). */
type Reusable = Extract<CredentialRef, 'access_token' | 'user_access_token' | 'opaque_token' | 'refresh_token' | 'id_token' | 'registration_token' | 'registered_client_id'>;

/**
 * The valid credentials generated requests name: reusable ones issued once and forgotten when the database changed,
 * single-use ones (codes, device codes, request URIs) issued fresh for each request that names them.
 */
export class FuzzCredentials {
  private reusable = new Map<Reusable, string>();

  constructor(private readonly t: TestApp) {}

  /** Forgets the reusable credentials: the next request gets fresh ones. */
  stale(): void {
    this.reusable.clear();
  }

  /** A resolver for one request: each credential is the same wherever the request names it. */
  resolver(): Resolve {
    const memo = new Map<CredentialRef, Promise<string>>();
    const get = (ref: CredentialRef): Promise<string> => {
      if (!memo.has(ref)) memo.set(ref, this.issue(ref));
      return memo.get(ref)!;
    };
    return async (value: CredentialValue) => applyTweak(await get(value.ref), value.tweak);
  }

  private async issue(ref: CredentialRef): Promise<string> {
    switch (ref) {
      case 'code':
      case 'code_verifier': {
        const issued = await issueCode(this.t, RP_CLIENT, { scopes: ['openid', 'a'] });
        return ref === 'code' ? issued.code : issued.verifier;
      }
      case 'device_code':
      case 'user_code': {
        const grant = await startDevice(this.t, RP, { scope: 'a' });
        return ref === 'device_code' ? grant.deviceCode : grant.userCode;
      }
      case 'request_uri':
        return pushOk(this.t, RP, pushForm(RP, pkce().challenge));
      default:
        return this.reused(ref);
    }
  }

  private async reused(ref: Reusable): Promise<string> {
    if (!this.reusable.has(ref)) await this.renew(ref);
    return this.reusable.get(ref)!;
  }

  private async renew(ref: Reusable): Promise<void> {
    const { url } = this.t;
    if (ref === 'access_token') this.reusable.set(ref, await issueToken(url, RP.clientId, RP.clientSecret!, { scope: 'a' }));
    if (ref === 'opaque_token') this.reusable.set(ref, await issueToken(url, OPAQUE.clientId, OPAQUE.clientSecret!));
    if (ref === 'user_access_token' || ref === 'refresh_token' || ref === 'id_token') {
      const code = await issueCode(this.t, RP_CLIENT, { scopes: ['openid', 'a'] });
      const tokens = expectTokens(await redeem(this.t, RP_CLIENT, code), { refreshToken: true }) as unknown as Record<string, string>;
      this.reusable.set('user_access_token', tokens.access_token!);
      this.reusable.set('refresh_token', tokens.refresh_token!);
      this.reusable.set('id_token', tokens.id_token!);
    }
    if (ref === 'registration_token' || ref === 'registered_client_id') {
      const res = await register(this.t, { redirect_uris: ['https://registered.test/cb'], client_name: 'fuzzed' }, {});
      expect(res.status, res.text).toBe(201);
      this.reusable.set('registration_token', String(res.body.registration_access_token));
      this.reusable.set('registered_client_id', String(res.body.client_id));
    }
  }
}

/** The fuzz suites' app and its credentials. */
export interface FuzzApp {
  t: TestApp;
  credentials: FuzzCredentials;
}

/** Limits no fuzz run reaches, so every request gets past them to the code behind (the limits have their own tests). */
const UNREACHED = { max: 100_000, window: 900 };

/**
 * One app with every endpoint on: the grant suites' clients and the ones above, alice, the guarded `ApiController`,
 * OpenID Connect, DPoP, open registration, the device flow, PAR, a JWT bearer issuer and a token exchange policy.
 */
export async function bootFuzzApp(platform: Platform, db: Database, { fastPath = false }: { fastPath?: boolean } = {}): Promise<FuzzApp> {
  const { publicKey } = await generateKeyPair('ES256');
  const t = await bootTestApp({
    platform,
    db,
    imports: [TestAccountsModule, TestExchangePolicyModule],
    controllers: [ApiController],
    options: {
      scopes: FUZZ_SCOPES,
      clients: SEEDS,
      dpop: {},
      registration: { mode: 'open', rateLimit: UNREACHED },
      deviceFlow: { userCodeRateLimit: { perAddress: UNREACHED, perBrowser: UNREACHED } },
      loginRateLimit: { perAccount: UNREACHED, perAddress: UNREACHED },
      jwtBearer: { issuers: [{ issuer: 'https://idp.test', jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256' }] } }] },
      ...(fastPath ? { fastPath: true } : {}),
    },
  });
  t.app.get(InMemoryAccountService).add(ALICE);
  return { t, credentials: new FuzzCredentials(t) };
}
