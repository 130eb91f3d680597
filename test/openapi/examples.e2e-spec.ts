import type { OpenAPIObject } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CODE_GRANT_TYPE } from '../../src/index.js';
import { issueToken } from '../support/app-helpers.js';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { deviceAuthorization, poll, startDevice } from '../rfc8628/support/device-app.js';
import { DpopKey } from '../rfc9449/support/dpop-key.js';
import { INITIAL_ACCESS_TOKEN, manage, register } from '../rfc7591/support.js';
import { LiveExamples, serverSource } from './live-examples.js';
import { bootDocsApp, buildDocument, DEVICE, errorExamples, operation, RS, WEB } from './openapi-support.js';

const WEB_AUTH = { authorization: basic(WEB.clientId, WEB.clientSecret!) };
const RS_AUTH = { authorization: basic(RS.clientId, RS.clientSecret!) };
const IAT = { authorization: `Bearer ${INITIAL_ACCESS_TOKEN}` };

/**
 * The examples of the document are what the server answers: each request below gets exactly one of the documented
 * examples for its status; every other documented error description is written verbatim in the server's code.
 */
describe.each(testMatrix())('the OpenAPI examples against the server on %s/%s', (platform, db) => {
  let t: TestApp;
  let doc: OpenAPIObject;
  let live: LiveExamples;
  const token = (form: Record<string, string> | string, headers: Record<string, string> = WEB_AUTH) => postForm(`${t.url}/oauth/token`, form, headers);

  beforeAll(async () => {
    t = await bootDocsApp(platform, db);
    doc = buildDocument(t.app);
    live = new LiveExamples(doc);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('token endpoint: RFC 6749 section 5.2 errors, DPoP and device polling as documented', async () => {
    const answers = [
      await request(`${t.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...WEB_AUTH }, body: '{"grant_type":"client_credentials"}' }),
      await token('grant_type=client_credentials&scope=openid&scope=api'),
      await token({ grant_type: 'authorization_code' }),
      await token({ grant_type: 'client_credentials', client_secret: 'x' }),
      await token({ grant_type: 'authorization_code', code: 'not-a-code', redirect_uri: 'https://client.example.com/callback', code_verifier: 'v'.repeat(43) }),
      await token({ grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' }),
      await token({ grant_type: DEVICE_CODE_GRANT_TYPE, device_code: 'x' }),
      await token({ grant_type: 'password', username: 'a', password: 'b' }),
      await token({ grant_type: 'client_credentials', scope: 'nope' }),
      await token({ grant_type: 'client_credentials', resource: 'https://unknown.example.com/' }),
      await token({ grant_type: 'client_credentials' }, { ...WEB_AUTH, dpop: 'not-a-proof' }),
    ];
    expect(answers.map((res) => live.expectDocumented(res, '/oauth/token', 'post'))).toEqual([
      'invalid_request', 'invalid_request_2', 'invalid_request_3', 'invalid_request_4', 'invalid_grant', 'invalid_grant_3',
      'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_target', 'invalid_dpop_proof',
    ]);

    const key = await DpopKey.generate();
    const nonce = await token({ grant_type: 'client_credentials' }, { ...WEB_AUTH, dpop: await key.proof('POST', `${t.issuer}/oauth/token`) });
    expect(live.expectDocumented(nonce, '/oauth/token', 'post')).toBe('use_dpop_nonce');
    expect(nonce.headers.get('dpop-nonce')).toEqual(expect.any(String));

    const device = await startDevice(t, DEVICE);
    expect(live.expectDocumented(await poll(t, DEVICE, device.deviceCode), '/oauth/token', 'post')).toBe('authorization_pending');
    expect(live.expectDocumented(await poll(t, DEVICE, device.deviceCode), '/oauth/token', 'post')).toBe('slow_down');

    const wrong = await token({ grant_type: 'client_credentials' }, { authorization: basic(WEB.clientId, 'wrong-secret') });
    expect(live.expectDocumented(wrong, '/oauth/token', 'post')).toBe('invalid_client');
    expect(wrong.headers.get('www-authenticate')).toBe(`Basic realm="${t.issuer}", error="invalid_client"`);

    const ok = await token({ grant_type: 'client_credentials', scope: 'api' });
    expect(ok.status).toBe(200);
    live.expectSchemaCovers(ok, '/oauth/token', 'post');
  });

  it('revocation and introspection: errors, `{}`, active and inactive answers as documented', async () => {
    const revoke = (form: Record<string, string>) => postForm(`${t.url}/oauth/revoke`, form, WEB_AUTH);
    expect(live.expectDocumented(await revoke({ token_type_hint: 'access_token' }), '/oauth/revoke', 'post')).toBe('invalid_request_2');
    expect(live.expectDocumented(await revoke({ token: 'x', token_type_hint: 'id_token' }), '/oauth/revoke', 'post')).toBe('unsupported_token_type');
    expect(live.expectDocumented(await revoke({ token: 'unknown' }), '/oauth/revoke', 'post')).toBe('revoked');

    const introspect = (form: Record<string, string>, headers: Record<string, string> = RS_AUTH) => postForm(`${t.url}/oauth/introspect`, form, headers);
    const accessToken = await issueToken(t.url, WEB.clientId, WEB.clientSecret!, { scope: 'api' });
    const active = await introspect({ token: accessToken });
    expect(active.body).toMatchObject({ active: true, token_type: 'Bearer', client_id: WEB.clientId });
    live.expectSchemaCovers(active, '/oauth/introspect', 'post');
    expect(live.expectDocumented(await introspect({ token: 'unknown' }), '/oauth/introspect', 'post')).toBe('inactive');
    expect(live.expectDocumented(await introspect({ token: accessToken }, WEB_AUTH), '/oauth/introspect', 'post')).toBe('unauthorized_client');
    expect(live.expectDocumented(await introspect({ token: accessToken, client_id: DEVICE.clientId }, {}), '/oauth/introspect', 'post')).toBe('invalid_client_2');
  });

  it('UserInfo: RFC 6750 answers and challenges as documented (with DPoP on, a DPoP challenge follows)', async () => {
    const realm = `realm="${t.issuer}"`;
    const missing = await request(`${t.url}/oauth/userinfo`);
    expect(live.expectDocumented(missing, '/oauth/userinfo', 'get')).toBe('no_error_code');
    expect(missing.headers.get('www-authenticate')).toMatch(new RegExp(`^Bearer ${realm.replace(/[.]/g, '\\.')}(, DPoP|$)`));
    const invalid = await request(`${t.url}/oauth/userinfo`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(live.expectDocumented(invalid, '/oauth/userinfo', 'get')).toBe('invalid_token');
    expect(invalid.headers.get('www-authenticate')).toContain(`Bearer ${realm}, error="invalid_token", error_description="The access token is invalid"`);
    const machine = await issueToken(t.url, WEB.clientId, WEB.clientSecret!, { scope: 'api' });
    const scope = await request(`${t.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${machine}` } });
    expect(live.expectDocumented(scope, '/oauth/userinfo', 'get')).toBe('insufficient_scope');
    expect(scope.headers.get('www-authenticate')).toContain('scope="openid"');
    const twice = await postForm(`${t.url}/oauth/userinfo`, { access_token: machine }, { authorization: `Bearer ${machine}` });
    expect(live.expectDocumented(twice, '/oauth/userinfo', 'post')).toBe('invalid_request');
  });

  it('registration and client configuration: RFC 7591 / 7592 errors and answers as documented', async () => {
    const json = (body: string) => request(`${t.url}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json', ...IAT }, body });
    const answers = [
      await register(t, { redirect_uris: ['https://app.example.com/cb'] }, { ...IAT, 'content-type': 'text/plain' }),
      await json('[]'),
      await register(t, { grant_types: ['authorization_code'] }, IAT),
      await register(t, { redirect_uris: ['https://app.example.com/cb'], application_type: 'tv' }, IAT),
      await register(t, { redirect_uris: ['https://app.example.com/cb'], software_statement: 'not-a-jws' }, IAT),
      await register(t, { redirect_uris: ['https://app.example.com/cb'], software_statement: 'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln' }, IAT),
      await register(t, { redirect_uris: ['https://app.example.com/cb'] }, {}),
      await register(t, { redirect_uris: ['https://app.example.com/cb'] }, { authorization: 'Bearer wrong-initial-access-token' }),
    ];
    expect(answers.map((res) => live.expectDocumented(res, '/oauth/register', 'post'))).toEqual([
      'invalid_request', 'invalid_request', 'invalid_redirect_uri', 'invalid_client_metadata', 'invalid_software_statement', 'unapproved_software_statement', 'no_error_code', 'invalid_token',
    ]);

    const created = await register(t, { client_name: 'Docs', redirect_uris: ['https://app.example.com/cb'], grant_types: ['authorization_code'] }, IAT);
    expect(created.status, created.text).toBe(201);
    live.expectSchemaCovers(created, '/oauth/register', 'post');
    const uri = String(created.body.registration_client_uri).replace(t.issuer, t.url);
    const path = '/oauth/register/{clientId}';
    expect(live.expectDocumented(await manage(uri, 'GET', 'wrong-token'), path, 'get')).toBe('invalid_token');
    const current = String(created.body.registration_access_token);
    const read = await manage(uri, 'GET', current);
    live.expectSchemaCovers(read, path, 'get');
    const metadata = { redirect_uris: ['https://app.example.com/cb'], grant_types: ['authorization_code'] };
    expect(live.expectDocumented(await manage(uri, 'PUT', current, metadata), path, 'put')).toBe('invalid_request');
    expect(live.expectDocumented(await manage(uri, 'PUT', current, { ...metadata, client_id: created.body.client_id, client_secret: 'not-the-secret' }), path, 'put')).toBe('invalid_request_2');
    expect((await manage(uri, 'DELETE', current)).status).toBe(204);
  });

  it('device authorization and pushed authorization requests: answers and errors as documented', async () => {
    const codes = await deviceAuthorization(t, DEVICE, { scope: 'openid' });
    const documentedCodes = operation(doc, '/oauth/device_authorization', 'post').responses[200].content['application/json'].examples.codes.value;
    expect(Object.keys(codes.body).sort()).toEqual(Object.keys(documentedCodes).sort());
    expect(live.expectDocumented(await deviceAuthorization(t, WEB), '/oauth/device_authorization', 'post')).toBe('unauthorized_client');

    const push = (form: Record<string, string>) => postForm(`${t.url}/oauth/par`, { response_type: 'code', redirect_uri: WEB.redirectUris![0]!, ...form }, WEB_AUTH);
    const challenge = { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
    const pushed = await push(challenge);
    expect(pushed.status, pushed.text).toBe(201);
    live.expectSchemaCovers(pushed, '/oauth/par', 'post');
    expect(live.expectDocumented(await push({ ...challenge, request_uri: 'urn:x' }), '/oauth/par', 'post')).toBe('invalid_request_2');
    expect(live.expectDocumented(await push({ ...challenge, redirect_uri: 'https://elsewhere.example.com/cb' }), '/oauth/par', 'post')).toBe('invalid_request_3');
    expect(live.expectDocumented(await push({}), '/oauth/par', 'post')).toBe('invalid_request_4');
  });

  it('metadata and JWKS: the documented example is an excerpt of the live document', async () => {
    const metadata = await request(`${t.url}/.well-known/openid-configuration`);
    const example = operation(doc, '/.well-known/openid-configuration', 'get').responses[200].content['application/json'].examples.metadata.value as Record<string, unknown>;
    expect(Object.keys(example).filter((key) => !(key in metadata.body))).toEqual([]);
    const jwks = await request(`${t.url}/oauth/jwks`);
    const documentedKey = operation(doc, '/oauth/jwks', 'get').responses[200].content['application/json'].examples.es256.value.keys[0];
    expect(Object.keys((jwks.body.keys as Record<string, unknown>[])[0]!).sort()).toEqual(Object.keys(documentedKey).sort());
  });

  it('every other documented error description is written verbatim in the server code', () => {
    const source = serverSource();
    const unverified = errorExamples(doc).filter(({ description }) => !live.verified.has(description) && !source.includes(description));
    expect(unverified).toEqual([]);
  });
});
