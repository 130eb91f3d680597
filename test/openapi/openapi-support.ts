import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { expect } from 'vitest';
import { addAuthnestOpenApi, DEVICE_CODE_GRANT_TYPE, type AuthModuleOptions, type ClientSeed } from '../../src/index.js';
import { MeController } from '../support/app-helpers.js';
import type { Database, Platform } from '../support/matrix.js';
import { TestAccountsModule } from '../support/test-accounts.js';
import { INITIAL_ACCESS_TOKEN } from '../rfc7591/support.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';

export const SCOPES = ['openid', 'profile', 'api'];

/** A confidential web client (no introspection right). */
export const WEB: ClientSeed = {
  clientId: 'docs-web',
  clientSecret: 'docs-web-secret-0001',
  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
  scopes: SCOPES,
  redirectUris: ['https://client.example.com/callback'],
};
/** A resource server allowed to introspect. */
export const RS: ClientSeed = { clientId: 'docs-rs', clientSecret: 'docs-rs-secret-00001', grantTypes: [], allowIntrospection: true };
/** A public device client. */
export const DEVICE: ClientSeed = { clientId: 'docs-device', grantTypes: [DEVICE_CODE_GRANT_TYPE], scopes: SCOPES };

/** An app with every protocol endpoint on: registration with an initial access token, DPoP with server nonces. */
export function bootDocsApp(platform: Platform, db: Database, extra: { options?: Partial<AuthModuleOptions>; beforeListen?: (app: INestApplication) => void } = {}): Promise<TestApp> {
  return bootTestApp({
    platform,
    db,
    controllers: [MeController],
    imports: [TestAccountsModule],
    beforeListen: extra.beforeListen,
    options: {
      scopes: SCOPES,
      accessToken: { format: 'opaque' },
      clients: [WEB, RS, DEVICE],
      dpop: { requireNonce: true },
      registration: {
        mode: 'initial-access-token',
        initialAccessTokens: [INITIAL_ACCESS_TOKEN],
        grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
        rateLimit: { max: 100_000, window: 900 },
      },
      ...extra.options,
    },
  });
}

/** The host's document: authnest's schemes and tags added to the builder, as the README shows. */
export function buildDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(app, addAuthnestOpenApi(new DocumentBuilder().setTitle('docs test').setVersion('1')).build());
}

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** A plain JSON view of an operation (the document's types are unions the tests need not narrow). */
export type Json = Record<string, any>;

/** The operation at `path` `method`, asserting it exists. */
export function operation(doc: OpenAPIObject, path: string, method: HttpMethod): Json {
  const found = (doc.paths[path] as Json | undefined)?.[method] as Json | undefined;
  expect(found, `${method.toUpperCase()} ${path} is documented`).toBeDefined();
  return found!;
}

/** The example `key` of the response `status` of an operation (its body as documented). */
export function exampleBody(doc: OpenAPIObject, path: string, method: HttpMethod, status: number, key: string): Json {
  const examples = operation(doc, path, method).responses?.[status]?.content?.['application/json']?.examples as Json | undefined;
  expect(examples?.[key], `${method.toUpperCase()} ${path} has example ${status} ${key}`).toBeDefined();
  return examples![key].value as Json;
}

/** Every `$ref` in the document that does not resolve (JSON pointers inside the document). */
export function unresolvedRefs(doc: OpenAPIObject): string[] {
  const missing: string[] = [];
  const resolve = (ref: string): unknown =>
    ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], doc);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && (typeof value !== 'string' || !value.startsWith('#/') || resolve(value) === undefined)) missing.push(String(value));
      else walk(value);
    }
  };
  walk(doc);
  return missing;
}

/** Security scheme names operations require that `components.securitySchemes` does not define. */
export function undefinedSchemes(doc: OpenAPIObject): string[] {
  const defined = new Set(Object.keys(doc.components?.securitySchemes ?? {}));
  const used = Object.values(doc.paths).flatMap((item) =>
    Object.values(item as Json).flatMap((op) => ((op as Json).security ?? []).flatMap((requirement: Json) => Object.keys(requirement))),
  );
  return [...new Set(used.filter((name) => !defined.has(name)))];
}

/** Every `{ error, error_description }` example value in the document, with where it is. */
export function errorExamples(doc: OpenAPIObject): { where: string; description: string }[] {
  const found: { where: string; description: string }[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item as Json)) {
      for (const [status, response] of Object.entries(((op as Json).responses ?? {}) as Json)) {
        for (const [key, example] of Object.entries((response.content?.['application/json']?.examples ?? {}) as Json)) {
          const description = (example as Json).value?.error_description;
          if (typeof description === 'string' && Number(status) >= 400) found.push({ where: `${method.toUpperCase()} ${path} ${status} ${key}`, description });
        }
      }
    }
  }
  return found;
}
