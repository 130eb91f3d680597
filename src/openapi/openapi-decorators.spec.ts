import 'reflect-metadata';
import * as swagger from '@nestjs/swagger';
import { describe, expect, it } from 'vitest';
import { loadOptionalModule } from '../internal/optional-module.js';
import { createOpenApiDecorators, OPENAPI } from './openapi-decorators.js';
import type { OperationDoc } from './openapi-operation.js';
import { TOKEN_OPERATION } from './token.openapi.js';

const DOC: OperationDoc = {
  operationId: 'doSomething',
  summary: 'A summary',
  description: 'A description',
  body: { mediaType: 'application/x-www-form-urlencoded', schema: { type: 'object', properties: { a: { type: 'string' } } } },
  security: [{ client_secret_basic: [] }, {}],
  responses: [{ status: 200, description: 'ok', schema: { type: 'object' } }],
};

/**
 * Every metadata key on a class and its methods, except the compiler's `design:*` types (emitted for any decorated
 * member, whatever the decorator does).
 */
function metadataOf(target: { prototype: object }): string[] {
  const keys = new Set<string>(Reflect.getMetadataKeys(target).map(String));
  for (const name of Object.getOwnPropertyNames(target.prototype)) {
    const member = (target.prototype as Record<string, unknown>)[name];
    if (typeof member === 'function') for (const key of Reflect.getMetadataKeys(member)) keys.add(`${name}:${String(key)}`);
  }
  return [...keys].filter((key) => !/(^|:)design:/.test(key)).sort();
}

function decorate(decorators: ReturnType<typeof createOpenApiDecorators>) {
  @decorators.excludeController()
  @decorators.tag('oauth2')
  class Subject {
    @decorators.operation(DOC)
    handler(): void {}

    @decorators.excludeEndpoint()
    refused(): void {}
  }
  return Subject;
}

describe('OpenAPI decorators', () => {
  it('load nothing and answer undefined for a package that is not installed', () => {
    expect(loadOptionalModule('definitely-not-installed-authnest-peer')).toBeUndefined();
  });

  it('are no-ops without @nestjs/swagger: no metadata at all, the class unchanged', () => {
    const Subject = decorate(createOpenApiDecorators(undefined));
    expect(metadataOf(Subject)).toEqual([]);
    expect(Object.getOwnPropertyNames(Subject.prototype).sort()).toEqual(['constructor', 'handler', 'refused']);
  });

  it('delegate to @nestjs/swagger when it is installed', () => {
    const Subject = decorate(createOpenApiDecorators(swagger));
    const handler = Subject.prototype.handler;
    expect(Reflect.getMetadata(swagger.DECORATORS.API_OPERATION, handler)).toMatchObject({ operationId: 'doSomething', summary: 'A summary' });
    expect(Reflect.getMetadata(swagger.DECORATORS.API_TAGS, Subject)).toEqual(['oauth2']);
    expect(Reflect.getMetadata(swagger.DECORATORS.API_CONSUMES, handler)).toEqual(['application/x-www-form-urlencoded']);
    expect(Reflect.getMetadata(swagger.DECORATORS.API_SECURITY, handler)).toEqual([{ client_secret_basic: [] }, {}]);
    expect(Reflect.getMetadata(swagger.DECORATORS.API_RESPONSE, handler)).toHaveProperty('200');
    expect(Reflect.getMetadata(swagger.DECORATORS.API_EXCLUDE_ENDPOINT, Subject.prototype.refused)).toEqual({ disable: true });
    expect(Reflect.getMetadata(swagger.DECORATORS.API_EXCLUDE_CONTROLLER, Subject)).toEqual([true]);
  });

  it('are the installed package\'s in this repository (a dev dependency)', () => {
    class Subject {
      @OPENAPI.operation(TOKEN_OPERATION)
      token(): void {}
    }
    expect(Reflect.getMetadata(swagger.DECORATORS.API_OPERATION, Subject.prototype.token)).toMatchObject({ operationId: 'requestToken' });
  });
});
