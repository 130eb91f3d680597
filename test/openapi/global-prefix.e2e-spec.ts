import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHNEST_OPENAPI_TAGS, ENDPOINT_PATHS } from '../../src/index.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootDocsApp, buildDocument, type Json } from './openapi-support.js';

/** Every operation of authnest in the document: method and path (path parameters filled in). */
function authnestOperations(doc: OpenAPIObject): { method: string; path: string }[] {
  const tags = Object.keys(AUTHNEST_OPENAPI_TAGS);
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([, op]) => tags.includes((op as Json).tags?.[0]))
      .map(([method]) => ({ method: method.toUpperCase(), path: path.replace('{clientId}', 'someone') })),
  );
}

/** Each documented operation is served where the document says: whatever the answer, not the router's 404. */
async function expectServedAsDocumented(t: TestApp, doc: OpenAPIObject): Promise<void> {
  const operations = authnestOperations(doc);
  expect(operations.length).toBeGreaterThanOrEqual(19);
  for (const { method, path } of operations) {
    const body = method === 'GET' ? undefined : method === 'PUT' ? '{}' : 'x=1';
    const contentType = method === 'PUT' ? 'application/json' : 'application/x-www-form-urlencoded';
    const res = await request(`${t.url}${path}`, { method, ...(body ? { body, headers: { 'content-type': contentType } } : {}) });
    expect(res.status, `${method} ${path}: ${res.text.slice(0, 200)}`).not.toBe(404);
  }
}

describe.each(testMatrix())('OpenAPI paths under a global prefix on %s/%s', (platform, db) => {
  describe('with the protocol paths excluded from the prefix (as the README says)', () => {
    let t: TestApp;
    let doc: OpenAPIObject;
    beforeAll(async () => {
      const prefix = (app: INestApplication) => app.setGlobalPrefix('api', { exclude: Object.values(ENDPOINT_PATHS) });
      t = await bootDocsApp(platform, db, { beforeListen: prefix });
      doc = buildDocument(t.app);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('documents the protocol endpoints at their own paths and the host routes under the prefix', async () => {
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/oauth/token', '/oauth/userinfo', '/.well-known/openid-configuration', '/oauth/register/{clientId}', '/api/me']));
      expect(Object.keys(doc.paths).filter((path) => path.startsWith('/api/oauth') || path === '/me')).toEqual([]);
      await expectServedAsDocumented(t, doc);
      expect((await request(`${t.url}/oauth/jwks`)).status).toBe(200);
    });
  });

  describe('with the prefix on everything', () => {
    let t: TestApp;
    let doc: OpenAPIObject;
    beforeAll(async () => {
      t = await bootDocsApp(platform, db, { beforeListen: (app) => app.setGlobalPrefix('api') });
      doc = buildDocument(t.app);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('documents every endpoint under the prefix, where the router serves it', async () => {
      const paths = Object.keys(doc.paths);
      expect(paths).toEqual(expect.arrayContaining(['/api/oauth/token', '/api/.well-known/oauth-authorization-server', '/api/oauth/register/{clientId}', '/api/me']));
      expect(paths.filter((path) => !path.startsWith('/api/'))).toEqual([]);
      await expectServedAsDocumented(t, doc);
    });
  });
});
