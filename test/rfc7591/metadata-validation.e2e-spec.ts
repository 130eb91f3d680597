import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootRegistrationApp, clientCount, expectRegistrationError, register } from './support.js';

const CB = 'https://rp.example.com/cb';
const publicJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
const privateJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });

/** Redirect URIs refused with `invalid_redirect_uri` (RFC 7591 section 3.2.2; checklist 94). */
const BAD_REDIRECTS: [string, Record<string, unknown>][] = [
  ['javascript:', { redirect_uris: ['javascript:alert(1)'] }],
  ['data:', { redirect_uris: ['data:text/html,<script>alert(1)</script>'] }],
  ['vbscript:', { redirect_uris: ['vbscript:msgbox(1)'] }],
  ['file:', { redirect_uris: ['file:///etc/passwd'] }],
  ['blob:', { redirect_uris: ['blob:https://rp.example.com/0b0c'] }],
  ['about:', { redirect_uris: ['about:blank'] }],
  ['a fragment', { redirect_uris: [`${CB}#x`] }],
  ['an empty fragment', { redirect_uris: [`${CB}#`] }],
  ['a relative URI', { redirect_uris: ['/cb'] }],
  ['a bare word', { redirect_uris: ['cb'] }],
  ['http off loopback', { redirect_uris: ['http://rp.example.com/cb'] }],
  ['a wildcard host', { redirect_uris: ['https://*.example.com/cb'] }],
  ['a code query parameter', { redirect_uris: [`${CB}?code=1`] }],
  ['a state query parameter', { redirect_uris: [`${CB}?state=x`] }],
  ['user information', { redirect_uris: ['https://user:pass@rp.example.com/cb'] }],
  ['a private-use scheme for a web client', { redirect_uris: ['com.example.app:/cb'] }],
  ['a private-use scheme without a dot for a native client', { application_type: 'native', redirect_uris: ['myapp:/cb'] }],
  ['a string instead of an array', { redirect_uris: CB }],
  ['an array with a non-string', { redirect_uris: [CB, 7] }],
  ['too many', { redirect_uris: Array.from({ length: 21 }, (_, index) => `${CB}${index}`) }],
  ['none for the authorization_code grant', { grant_types: ['authorization_code'] }],
  ['a javascript: post_logout_redirect_uri', { redirect_uris: [CB], post_logout_redirect_uris: ['javascript:alert(1)'] }],
];

/** Metadata refused with `invalid_client_metadata`, and the member the description names. */
const BAD_METADATA: [string, Record<string, unknown>, string][] = [
  ['jwks together with jwks_uri', { token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], jwks: { keys: [publicJwk] }, jwks_uri: 'https://rp.example.com/jwks' }, 'jwks_uri'],
  ['response_types token', { redirect_uris: [CB], response_types: ['token'] }, 'response_types'],
  ['response_types code id_token', { redirect_uris: [CB], response_types: ['code id_token'] }, 'response_types'],
  ['code without authorization_code', { grant_types: ['client_credentials'], response_types: ['code'] }, 'response_types'],
  ['authorization_code without code', { redirect_uris: [CB], grant_types: ['authorization_code'], response_types: [] }, 'response_types'],
  ['the implicit grant', { redirect_uris: [CB], grant_types: ['implicit'] }, 'grant_types'],
  ['the password grant', { grant_types: ['password'] }, 'grant_types'],
  ['a grant registration does not allow', { grant_types: ['urn:ietf:params:oauth:grant-type:device_code'] }, 'grant_types'],
  ['no grant at all', { grant_types: [] }, 'grant_types'],
  ['a non-string grant type', { grant_types: [1] }, 'grant_types'],
  ['an unsupported auth method', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'tls_client_auth' }, 'token_endpoint_auth_method'],
  ['a public client with client_credentials', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' }, 'token_endpoint_auth_method'],
  ['private_key_jwt without keys', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt' }, 'jwks'],
  ['jwks for a secret method', { grant_types: ['client_credentials'], jwks: { keys: [publicJwk] } }, 'token_endpoint_auth_method'],
  ['an empty jwks', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [] } }, 'jwks'],
  ['jwks that is not a key set', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks: [publicJwk] }, 'jwks'],
  ['a private key in jwks', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [privateJwk] } }, 'jwks'],
  ['token_endpoint_auth_signing_alg none', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [publicJwk] }, token_endpoint_auth_signing_alg: 'none' }, 'token_endpoint_auth_signing_alg'],
  ['an HMAC alg for private_key_jwt', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [publicJwk] }, token_endpoint_auth_signing_alg: 'HS256' }, 'token_endpoint_auth_signing_alg'],
  ['a scope outside the server', { grant_types: ['client_credentials'], scope: 'admin' }, 'scope'],
  ['a malformed scope', { grant_types: ['client_credentials'], scope: 'a"b' }, 'scope'],
  ['scope as an array', { grant_types: ['client_credentials'], scope: ['profile'] }, 'scope'],
  ['contacts as a string', { grant_types: ['client_credentials'], contacts: 'ops@rp.example.com' }, 'contacts'],
  ['contacts with a non-string', { grant_types: ['client_credentials'], contacts: [{ email: 'x' }] }, 'contacts'],
  ['a javascript: client_uri', { grant_types: ['client_credentials'], client_uri: 'javascript:alert(1)' }, 'client_uri'],
  ['a data: logo_uri', { grant_types: ['client_credentials'], logo_uri: 'data:image/png;base64,AAAA' }, 'logo_uri'],
  ['a tos_uri that is no URL', { grant_types: ['client_credentials'], tos_uri: 'terms' }, 'tos_uri'],
  ['an http policy_uri', { grant_types: ['client_credentials'], policy_uri: 'http://rp.example.com/privacy' }, 'policy_uri'],
  ['a numeric client_name', { grant_types: ['client_credentials'], client_name: 42 }, 'client_name'],
  ['a client_name with a line break', { grant_types: ['client_credentials'], client_name: 'a\r\nSet-Cookie: x=1' }, 'client_name'],
  ['an unknown application_type', { redirect_uris: [CB], application_type: 'desktop' }, 'application_type'],
  ['an unknown subject_type', { redirect_uris: [CB], subject_type: 'secret' }, 'subject_type'],
  ['pairwise on two hosts without sector', { redirect_uris: [CB, 'https://other.example.net/cb'], subject_type: 'pairwise' }, 'sector_identifier_uri'],
  ['a sector on another host', { redirect_uris: [CB], subject_type: 'pairwise', sector_identifier_uri: 'https://victim.example.org/sector.json' }, 'sector_identifier_uri'],
  ['id_token_signed_response_alg none', { redirect_uris: [CB], id_token_signed_response_alg: 'none' }, 'id_token_signed_response_alg'],
  ['an id_token alg the server does not sign with', { redirect_uris: [CB], id_token_signed_response_alg: 'RS256' }, 'id_token_signed_response_alg'],
  ['encrypted UserInfo', { redirect_uris: [CB], userinfo_encrypted_response_alg: 'RSA-OAEP' }, 'userinfo_encrypted_response_alg'],
  ['signed request objects required', { redirect_uris: [CB], require_signed_request_object: true }, 'require_signed_request_object'],
  ['a non-boolean require_signed_request_object', { redirect_uris: [CB], require_signed_request_object: 'yes' }, 'require_signed_request_object'],
  ['request_uris', { redirect_uris: [CB], request_uris: ['https://rp.example.com/req'] }, 'request_uris'],
  ['front-channel logout', { redirect_uris: [CB], frontchannel_logout_uri: 'https://rp.example.com/fc' }, 'frontchannel_logout_uri'],
  ['a non-boolean backchannel_logout_session_required', { redirect_uris: [CB], backchannel_logout_session_required: 'true' }, 'backchannel_logout_session_required'],
  ['an http backchannel_logout_uri', { redirect_uris: [CB], backchannel_logout_uri: 'http://rp.example.com/bc' }, 'backchannel_logout_uri'],
];

/**
 * Registered metadata is validated (RFC 7591 section 2, 3.2.2; Authlib 194-198; checklist 94): every refusal is 400
 * `invalid_redirect_uri` or `invalid_client_metadata` naming the member, never a 500, and nothing is stored.
 */
describe.each(testMatrix())('registered metadata validation on %s/%s', (platform, db) => {
  let t: TestApp;
  let clients: number;

  beforeAll(async () => {
    t = await bootRegistrationApp(platform, db);
    clients = await clientCount(t);
  });
  afterAll(() => t?.close());

  it.each(BAD_REDIRECTS)('refuses redirect URIs with %s: invalid_redirect_uri', async (_case, metadata) => {
    const res = await register(t, metadata);
    expectRegistrationError(res, 400, 'invalid_redirect_uri');
    expect(res.body.error_description).toMatch(/redirect_uris/);
    expect(await clientCount(t)).toBe(clients);
  });

  it.each(BAD_METADATA)('refuses %s: invalid_client_metadata', async (_case, metadata, member) => {
    const res = await register(t, metadata);
    expectRegistrationError(res, 400, 'invalid_client_metadata');
    expect(String(res.body.error_description)).toContain(member);
    expect(await clientCount(t)).toBe(clients);
  });

  it('accepts what the rules allow: loopback and private-use redirects for native clients, http on loopback, scope ""', async () => {
    for (const metadata of [
      { application_type: 'native', token_endpoint_auth_method: 'none', redirect_uris: ['com.example.app:/cb', 'http://127.0.0.1/cb', 'http://[::1]/cb', 'https://rp.example.com/app'] },
      { redirect_uris: ['http://localhost:8080/cb', `${CB}?tenant=1`] },
      { grant_types: ['client_credentials'], scope: '' },
      { redirect_uris: [CB], subject_type: 'pairwise', sector_identifier_uri: 'https://rp.example.com/sector.json' },
      { grant_types: ['client_credentials'], contacts: ['a@rp.example.com', 'a@rp.example.com'], client_name: null, logo_uri: '' },
    ]) {
      const res = await register(t, metadata);
      expect(res.status, `${JSON.stringify(metadata)} ${res.text}`).toBe(201);
    }
    const pairwise = await register(t, { redirect_uris: [CB], subject_type: 'pairwise', sector_identifier_uri: 'https://rp.example.com/s.json' });
    expect(pairwise.body).toMatchObject({ subject_type: 'pairwise', sector_identifier_uri: 'https://rp.example.com/s.json' });
    const deduped = await register(t, { grant_types: ['client_credentials'], contacts: ['a@rp.example.com', 'a@rp.example.com'] });
    expect(deduped.body.contacts).toEqual(['a@rp.example.com']);
  });
});
