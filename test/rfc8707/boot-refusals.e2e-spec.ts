/**
 * Resource indicator options (RFC 8707) that cannot be right stop the boot with an AuthConfigError naming the option
 * path: a resource URI that is not an absolute URI (relative, with a fragment, with userinfo, with spaces, too long),
 * listed twice, with a scope the server does not know or an OpenID Connect one (openid, offline_access), a format or
 * TTL out of range, a typo in a resource, and a client naming a resource that is not configured. A good configuration
 * boots.
 */
import { describe, expect, it } from 'vitest';
import { type AuthModuleOptions, type ResourceServerOptions } from '../../src/index.js';
import { testMatrix, type Database, type Platform } from '../support/matrix.js';
import { bootProblems } from '../support/boot-problems.js';
import { bootTestApp } from '../support/test-app.js';

const API = 'https://api.example.test';

const bootWith = (platform: Platform, db: Database, options: Partial<AuthModuleOptions>) => bootProblems(platform, db, ['read', 'write'], options);

const URI_PROBLEM = 'must be an absolute URI without fragment or userinfo, printable ASCII without spaces';

describe.each(testMatrix())('resource indicator options refused at boot on %s/%s', (platform, db) => {
  const cases: [name: string, resources: unknown[], problem: string][] = [
    ['a relative URI', [{ uri: '/api', scopes: [] }], `resources[0].uri: ${URI_PROBLEM}`],
    ['a URI with a fragment', [{ uri: `${API}/#x`, scopes: [] }], `resources[0].uri: ${URI_PROBLEM}`],
    ['a URI with userinfo', [{ uri: 'https://user:pw@api.example.test', scopes: [] }], `resources[0].uri: ${URI_PROBLEM}`],
    ['a URI with a space', [{ uri: 'https://api.example.test/a b', scopes: [] }], `resources[0].uri: ${URI_PROBLEM}`],
    ['a URI longer than 1024 characters', [{ uri: `${API}/${'a'.repeat(1024)}`, scopes: [] }], 'resources[0].uri: uri must be shorter than or equal to 1024 characters'],
    ['a URI listed twice', [{ uri: API, scopes: ['read'] }, { uri: API, scopes: ['write'] }], `resources[1].uri: '${API}' is listed twice`],
    ['an unknown scope', [{ uri: API, scopes: ['read', 'admin'] }], "resources[0].scopes: 'admin' is not in scopes"],
    ['openid among its scopes', [{ uri: API, scopes: ['read', 'openid'] }], "resources[0].scopes: 'openid' belongs to the authorization server, not to a resource"],
    ['offline_access among its scopes', [{ uri: API, scopes: ['offline_access'] }], "resources[0].scopes: 'offline_access' belongs to the authorization server, not to a resource"],
    ['no scopes list', [{ uri: API }], 'resources[0].scopes: scopes must be an array'],
    ['an unknown format', [{ uri: API, scopes: [], accessTokenFormat: 'paseto' }], 'resources[0].accessTokenFormat: accessTokenFormat must be one of the following values: jwt, opaque'],
    ['a TTL below 30 seconds', [{ uri: API, scopes: [], accessTokenTtl: 5 }], 'resources[0].accessTokenTtl: accessTokenTtl must not be less than 30'],
    ['a typo', [{ uri: API, scopes: [], accesTokenTtl: 60 }], 'resources[0].accesTokenTtl: property accesTokenTtl should not exist'],
  ];

  it.each(cases)('refuses %s', async (_name, resources, problem) => {
    expect(await bootWith(platform, db, { resources: resources as ResourceServerOptions[] })).toContain(problem);
  });

  it("refuses a client's resource that is not configured", async () => {
    const problems = await bootWith(platform, db, {
      resources: [{ uri: API, scopes: ['read'] }],
      clients: [{ clientId: 'svc', clientSecret: 'svc-secret-0001', scopes: ['read'], resources: [API, 'https://other.example.test'] }],
    });
    expect(problems).toEqual(["clients[0].resources: 'https://other.example.test' is not in resources"]);
  });

  it('boots with URNs, queries, per-resource settings and client lists', async () => {
    const t = await bootTestApp({
      platform,
      db,
      options: {
        scopes: ['read', 'write'],
        resources: [
          { uri: API, scopes: ['read', 'write'], accessTokenFormat: 'opaque', accessTokenTtl: 300 },
          { uri: 'urn:example:billing', scopes: ['read'] },
          { uri: 'https://api.example.test/v2?tenant=a', scopes: [] },
        ],
        clients: [{ clientId: 'svc', clientSecret: 'svc-secret-0001', scopes: ['read'], resources: ['urn:example:billing'] }],
      },
    });
    await t.close();
  });
});
