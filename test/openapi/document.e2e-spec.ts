import type { OpenAPIObject } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHNEST_SECURITY_SCHEMES, DEVICE_CODE_GRANT_TYPE, JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootDocsApp, buildDocument, operation, undefinedSchemes, unresolvedRefs, type HttpMethod, type Json } from './openapi-support.js';

const FORM = 'application/x-www-form-urlencoded';

/** Every protocol operation: path, method, operationId, tag, request media type (if any), success status. */
const PROTOCOL: [string, HttpMethod, string, string, string | undefined, number][] = [
  ['/oauth/token', 'post', 'requestToken', 'oauth2', FORM, 200],
  ['/oauth/revoke', 'post', 'revokeToken', 'oauth2', FORM, 200],
  ['/oauth/introspect', 'post', 'introspectToken', 'oauth2', FORM, 200],
  ['/oauth/device_authorization', 'post', 'requestDeviceAuthorization', 'oauth2', FORM, 200],
  ['/oauth/par', 'post', 'pushAuthorizationRequest', 'oauth2', FORM, 201],
  ['/oauth/userinfo', 'get', 'getUserInfo', 'openid-connect', undefined, 200],
  ['/oauth/userinfo', 'post', 'postUserInfo', 'openid-connect', FORM, 200],
  ['/oauth/register', 'post', 'registerClient', 'client-registration', 'application/json', 201],
  ['/oauth/register/{clientId}', 'get', 'readClientRegistration', 'client-registration', undefined, 200],
  ['/oauth/register/{clientId}', 'put', 'updateClientRegistration', 'client-registration', 'application/json', 200],
  ['/oauth/register/{clientId}', 'delete', 'deleteClientRegistration', 'client-registration', undefined, 204],
  ['/.well-known/oauth-authorization-server', 'get', 'getAuthorizationServerMetadata', 'discovery', undefined, 200],
  ['/.well-known/openid-configuration', 'get', 'getOpenIdConfiguration', 'discovery', undefined, 200],
  ['/oauth/jwks', 'get', 'getJwks', 'discovery', undefined, 200],
];

describe.each(testMatrix())('the OpenAPI document of the protocol endpoints on %s/%s', (platform, db) => {
  let t: TestApp;
  let doc: OpenAPIObject;

  beforeAll(async () => {
    t = await bootDocsApp(platform, db);
    doc = buildDocument(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(PROTOCOL)('describes %s %s (%s, tag %s) with its body, responses and no-store', (path, method, operationId, tag, mediaType, success) => {
    const op = operation(doc, path, method);
    expect(op).toMatchObject({ operationId, tags: [tag] });
    expect(op.summary).toEqual(expect.any(String));
    expect(op.description).toMatch(/RFC|OpenID Connect/);
    if (mediaType) expect(Object.keys(op.requestBody.content)).toEqual([mediaType]);
    else expect(op.requestBody).toBeUndefined();
    expect(op.responses[success]).toBeDefined();
    if (path.startsWith('/oauth/') && path !== '/oauth/jwks') expect(op.responses[success].headers?.['Cache-Control']?.schema?.example).toBe('no-store');
    for (const [status, response] of Object.entries(op.responses as Json)) {
      if (Number(status) < 400 || response.content === undefined) continue;
      expect(Object.keys(response.content['application/json'].examples).length, `${path} ${status} has examples`).toBeGreaterThan(0);
    }
  });

  it('describes every token request parameter of every grant, in a form-encoded body', () => {
    const body = operation(doc, '/oauth/token', 'post').requestBody.content[FORM];
    expect(body.schema.required).toEqual(['grant_type']);
    expect(body.schema.properties.grant_type.enum).toEqual(['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT_TYPE, JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT]);
    const parameters = Object.keys(body.schema.properties);
    for (const name of ['client_id', 'client_secret', 'client_assertion_type', 'client_assertion', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'resource', 'device_code', 'assertion', 'subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type', 'audience']) {
      expect(parameters).toContain(name);
    }
    expect(Object.keys(body.examples)).toEqual(['client_credentials', 'authorization_code', 'refresh_token', 'device_code', 'jwt_bearer', 'token_exchange']);
    for (const example of Object.values(body.examples as Json)) {
      expect(Object.keys(example.value).every((name) => parameters.includes(name))).toBe(true);
      expect(body.schema.properties.grant_type.enum).toContain(example.value.grant_type);
    }
  });

  it('lists the token endpoint errors of RFC 6749 section 5.2, RFC 8628 and RFC 9449 with their headers', () => {
    const responses = operation(doc, '/oauth/token', 'post').responses as Json;
    expect(Object.keys(responses)).toEqual(['200', '400', '401', '500', '503']);
    expect(Object.keys(responses[400].content['application/json'].examples)).toEqual(
      expect.arrayContaining(['invalid_request', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_target', 'invalid_dpop_proof', 'use_dpop_nonce', 'authorization_pending', 'slow_down', 'expired_token', 'access_denied']),
    );
    expect(responses[400].headers['DPoP-Nonce']).toBeDefined();
    expect(responses[200].headers['DPoP-Nonce']).toBeDefined();
    expect(responses[401].headers['WWW-Authenticate'].schema.example).toBe('Basic realm="https://auth.example.com", error="invalid_client"');
    expect(responses[401].content['application/json'].examples.invalid_client.value).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
    expect(responses[503].headers['Retry-After'].schema.example).toBe('5');
    expect(responses[503].content['application/json'].examples.temporarily_unavailable.value.error).toBe('temporarily_unavailable');
    expect(responses[400].content['application/json'].schema.properties).toHaveProperty('error_description');
  });

  it('shows introspection answers active and inactive, and UserInfo errors as RFC 6750 challenges', () => {
    const introspection = operation(doc, '/oauth/introspect', 'post').responses[200].content['application/json'].examples;
    expect(introspection.active.value).toMatchObject({ active: true, token_type: 'Bearer', client_id: expect.any(String) });
    expect(introspection.inactive.value).toEqual({ active: false });
    const userinfo = operation(doc, '/oauth/userinfo', 'get').responses as Json;
    expect(userinfo[401].headers['WWW-Authenticate']).toBeDefined();
    expect(userinfo[401].content['application/json'].examples.no_error_code.value).toEqual({ error_description: 'A bearer access token is required' });
    expect(userinfo[403].content['application/json'].examples.insufficient_scope.value.error).toBe('insufficient_scope');
    expect(userinfo[403].headers['WWW-Authenticate'].schema.example).toContain('scope="openid"');
    const registration = operation(doc, '/oauth/register', 'post').responses as Json;
    expect(Object.keys(registration[400].content['application/json'].examples)).toEqual(
      expect.arrayContaining(['invalid_redirect_uri', 'invalid_client_metadata', 'invalid_software_statement', 'unapproved_software_statement']),
    );
  });

  it('requires schemes the document defines: Basic, bearer, DPoP, initial and registration access tokens', () => {
    expect(doc.components?.securitySchemes).toEqual(AUTHNEST_SECURITY_SCHEMES);
    expect(undefinedSchemes(doc)).toEqual([]);
    expect(operation(doc, '/oauth/token', 'post').security).toEqual([{ client_secret_basic: [] }, { client_secret_basic: [], dpop_proof: [] }, { dpop_proof: [] }, {}]);
    expect(operation(doc, '/oauth/introspect', 'post').security).toEqual([{ client_secret_basic: [] }, {}]);
    expect(operation(doc, '/oauth/userinfo', 'get').security).toEqual([{ access_token: [] }, { access_token: [], dpop_proof: [] }]);
    expect(operation(doc, '/oauth/register', 'post').security).toEqual([{ initial_access_token: [] }, {}]);
    expect(operation(doc, '/oauth/register/{clientId}', 'put').security).toEqual([{ registration_access_token: [] }]);
    expect(operation(doc, '/.well-known/openid-configuration', 'get').security).toBeUndefined();
  });

  it('resolves every $ref, and the document is JSON', () => {
    expect(unresolvedRefs(doc)).toEqual([]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(doc.tags?.map((tag) => tag.name)).toEqual(['oauth2', 'openid-connect', 'discovery', 'client-registration', 'browser']);
  });

  it('tags the browser pages "browser" and leaves out internal form targets and 405 refusals', () => {
    for (const [path, method] of [['/oauth/authorize', 'get'], ['/oauth/authorize', 'post'], ['/oauth/logout', 'get'], ['/oauth/logout', 'post'], ['/oauth/device', 'get']] as const) {
      const op = operation(doc, path, method);
      expect(op.tags).toEqual(['browser']);
      expect(op.responses[200].content).toHaveProperty('text/html');
    }
    expect(operation(doc, '/oauth/authorize', 'get').parameters.map((parameter: Json) => parameter.name)).toEqual(
      expect.arrayContaining(['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'request_uri']),
    );
    const paths = Object.keys(doc.paths);
    expect(paths.filter((path) => path.startsWith('/oauth/interaction'))).toEqual([]);
    expect(paths).not.toContain('/oauth/logout/confirm');
    expect(doc.paths['/oauth/device']).not.toHaveProperty('post');
    for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/introspect', '/oauth/device_authorization', '/oauth/par', '/oauth/register']) {
      expect(doc.paths[path], path).not.toHaveProperty('get');
    }
    expect(operation(doc, '/me', 'get')).toBeDefined();
  });
});
