import { afterEach, describe, expect, it } from 'vitest';
import { AuthConfigError, type AuthModuleOptions, type ClientSeed } from '../../src/index.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootOidcApp, OIDC_SCOPES, PAIRWISE_RP, RP } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';

const URI_RULE = 'must be absolute, without fragment, https or http on a loopback host';
const BACKCHANNEL_RULE = 'must be an https URL (http only on a loopback host) without fragment';
const SECTOR_RULE = 'required for a pairwise client whose redirect URIs are not on exactly one host';

type BadCase = [name: string, spec: { options?: Partial<AuthModuleOptions>; clients?: ClientSeed[] }, problems: string[]];

const CASES: BadCase[] = [
  ['a typo in oidc', { options: { oidc: { idTokenTl: 600 } as never } }, ['oidc.idTokenTl: property idTokenTl should not exist']],
  ['idTokenTtl below 60 s', { options: { oidc: { idTokenTtl: 59 } } }, ['oidc.idTokenTtl: idTokenTtl must not be less than 60']],
  ['idTokenTtl above a day', { options: { oidc: { idTokenTtl: 86_401 } } }, ['oidc.idTokenTtl: idTokenTtl must not be greater than 86400']],
  ['idTokenTtl not an integer', { options: { oidc: { idTokenTtl: 600.5 } } }, ['oidc.idTokenTtl: idTokenTtl must be an integer number']],
  ['pairwiseSalt shorter than 32', { options: { oidc: { pairwiseSalt: 'x'.repeat(31) } } }, ['oidc.pairwiseSalt: pairwiseSalt must be at least 32 characters']],
  [
    'scopeClaims for a scope not in scopes',
    { options: { oidc: { scopeClaims: { employee: ['department'] } } } },
    ["oidc.scopeClaims.employee: 'employee' is not in scopes"],
  ],
  [
    'scopeClaims releasing protocol claims',
    { options: { oidc: { scopeClaims: { 'posts:read': ['website', 'sub', 'iss'] } } } },
    ["oidc.scopeClaims.posts:read: 'sub' is set by the protocol, not by a scope", "oidc.scopeClaims.posts:read: 'iss' is set by the protocol, not by a scope"],
  ],
  [
    'scopeClaims with non-strings, a bad name, or not a list',
    { options: { oidc: { scopeClaims: { 'posts:read': [1, 'website'], profile: ['full name'], email: 'email' } as never } } },
    [
      'oidc.scopeClaims.posts:read: must be a list of claim names',
      'oidc.scopeClaims.profile: must be a list of claim names',
      'oidc.scopeClaims.email: must be a list of claim names',
    ],
  ],
  ['scopeClaims not an object', { options: { oidc: { scopeClaims: 'profile' as never } } }, ['oidc.scopeClaims: scopeClaims must be an object']],
  [
    'postLogoutRedirectUris with a fragment, http off loopback, javascript:',
    { clients: [RP, { ...RP, clientId: 'rp2', postLogoutRedirectUris: ['https://rp.test/out#x', 'http://rp.test/out', 'javascript:alert(1)', 'https://rp.test/ok'] }] },
    [
      `clients[1].postLogoutRedirectUris: 'https://rp.test/out#x' ${URI_RULE}`,
      `clients[1].postLogoutRedirectUris: 'http://rp.test/out' ${URI_RULE}`,
      `clients[1].postLogoutRedirectUris: 'javascript:alert(1)' ${URI_RULE}`,
    ],
  ],
  [
    'backchannelLogoutUri over http off loopback, or with a fragment',
    {
      clients: [
        { ...RP, backchannelLogoutUri: 'http://example.com/bcl' },
        { ...RP, clientId: 'rp2', backchannelLogoutUri: 'https://rp.test/bcl#frag' },
        { ...RP, clientId: 'rp3', backchannelLogoutUri: 'https://user:pw@rp.test/bcl' },
      ],
    },
    [`clients[0].backchannelLogoutUri: ${BACKCHANNEL_RULE}`, `clients[1].backchannelLogoutUri: ${BACKCHANNEL_RULE}`, `clients[2].backchannelLogoutUri: ${BACKCHANNEL_RULE}`],
  ],
  [
    'a pairwise client with redirect URIs on two hosts and no sectorIdentifier',
    { clients: [RP, { ...PAIRWISE_RP, redirectUris: ['https://pairwise.test/cb', 'https://pairwise-mobile.test/cb'] }] },
    [`clients[1].sectorIdentifier: ${SECTOR_RULE}`],
  ],
  [
    'a sectorIdentifier that is a URL, and an unknown subjectType',
    { clients: [{ ...PAIRWISE_RP, sectorIdentifier: 'https://sector.test/' }, { ...RP, subjectType: 'Pairwise' as never }] },
    ['clients[0].sectorIdentifier: sectorIdentifier must be a host name', 'clients[1].subjectType: subjectType must be one of the following values: public, pairwise'],
  ],
];

/**
 * OpenID options and client fields are validated at boot (house style: a typo or an unsafe value stops the boot
 * with an `AuthConfigError` naming each option path): `oidc.*` shapes and ranges, `oidc.scopeClaims` entries (a
 * scope in `scopes`, claim names, no protocol claim), and per client `postLogoutRedirectUris` (the redirect URI
 * rules), `backchannelLogoutUri` (Back-Channel Logout 1.0 section 2.2: https or loopback http, no fragment) and a
 * sector for pairwise clients on several hosts (OpenID Connect Core section 8.1).
 */
describe.each(testMatrix())('OpenID options validation on %s/%s', (platform, db) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it.each(CASES)('%s fails the boot naming the path', async (_name, spec, problems) => {
    const failure = await bootOidcApp(platform, db, spec).then(
      (app) => {
        t = app;
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AuthConfigError);
    expect((failure as AuthConfigError).problems).toEqual(problems);
  });

  it('accepts the edge values: loopback http and private-use schemes, a query, sectors, a 32-character salt, custom scope claims', async () => {
    t = await bootOidcApp(platform, db, {
      options: {
        scopes: [...OIDC_SCOPES, 'employee'],
        oidc: { idTokenTtl: 60, pairwiseSalt: 'x'.repeat(32), scopeClaims: { employee: ['department'], profile: ['name'] } },
      },
      clients: [
        {
          ...RP,
          postLogoutRedirectUris: ['http://127.0.0.1:8080/out', 'http://[::1]/out', 'com.example.app:/out', 'https://rp.test/out?x=1'],
          backchannelLogoutUri: 'https://rp.test/bcl?tenant=1',
        },
        { ...RP, clientId: 'rp-local', backchannelLogoutUri: 'http://127.0.0.1:9/bcl' },
        { ...PAIRWISE_RP, redirectUris: ['https://pairwise.test/cb', 'https://pairwise.test/other'] },
        { ...PAIRWISE_RP, clientId: 'pairwise-multi', redirectUris: ['https://a.test/cb', 'https://b.test/cb'], sectorIdentifier: 'sector.test' },
      ],
    });
    const discovery = await request(`${t.url}/.well-known/openid-configuration`);
    expect(discovery.status, discovery.text).toBe(200);
    expect(discovery.body.subject_types_supported).toEqual(expect.arrayContaining(['public', 'pairwise']));
    expect(discovery.body.claims_supported).toEqual(expect.arrayContaining(['sub', 'name', 'department']));
  });
});
