import { applyDecorators } from '@nestjs/common';
import { loadOptionalModule } from '../internal/optional-module.js';
import type { AuthnestOpenApiTag } from './authnest-openapi.js';
import type { OperationDoc, ResponseDoc } from './openapi-operation.js';

/**
 * The decorators of `@nestjs/swagger` authnest applies. A type only: the package is an optional peer dependency and
 * is loaded (synchronously, `loadOptionalModule`) when a controller module is evaluated, never imported statically.
 */
export type SwaggerApi = Pick<
  typeof import('@nestjs/swagger'),
  'ApiOperation' | 'ApiBody' | 'ApiConsumes' | 'ApiResponse' | 'ApiSecurity' | 'ApiTags' | 'ApiParam' | 'ApiQuery' | 'ApiExcludeController' | 'ApiExcludeEndpoint'
>;

/** What the protocol controllers put on their classes and handlers. */
export interface OpenApiDecorators {
  /** Describes one handler (see `OperationDoc`). */
  operation(doc: OperationDoc): MethodDecorator;
  /**
   * Tags every operation of a controller. On the class: a controller without class tags would also get its own name
   * as a tag (`autoTagControllers`).
   */
  tag(tag: AuthnestOpenApiTag): ClassDecorator;
  /** Keeps a handler out of the document (a 405 refusal of another method, an internal form target). */
  excludeEndpoint(): MethodDecorator;
  /** Keeps a whole controller out of the document. */
  excludeController(): ClassDecorator;
}

const noop = (): undefined => undefined;

/** Decorators that do nothing: the host did not install `@nestjs/swagger`. */
const NO_OP_DECORATORS: OpenApiDecorators = {
  operation: () => noop,
  tag: () => noop,
  excludeEndpoint: () => noop,
  excludeController: () => noop,
};

/** The response as `ApiResponse` takes it: content spelled out, so each status has its own media type. */
function responseOptions(response: ResponseDoc): Parameters<SwaggerApi['ApiResponse']>[0] {
  const media = response.schema || response.examples ? { schema: response.schema, ...(response.examples ? { examples: response.examples } : {}) } : undefined;
  return {
    status: response.status,
    description: response.description,
    ...(response.headers ? { headers: response.headers } : {}),
    ...(media ? { content: { [response.mediaType ?? 'application/json']: media } } : {}),
  };
}

function operationDecorators(swagger: SwaggerApi, doc: OperationDoc): (ClassDecorator | MethodDecorator | PropertyDecorator)[] {
  const decorators: (ClassDecorator | MethodDecorator | PropertyDecorator)[] = [
    swagger.ApiOperation({ operationId: doc.operationId, summary: doc.summary, description: doc.description }),
  ];
  if (doc.body) {
    decorators.push(swagger.ApiConsumes(doc.body.mediaType));
    decorators.push(
      swagger.ApiBody({
        description: doc.body.description,
        required: doc.body.required ?? true,
        schema: doc.body.schema,
        ...(doc.body.examples ? { examples: doc.body.examples } : {}),
      }),
    );
  }
  for (const parameter of doc.parameters ?? []) {
    const { in: location, ...rest } = parameter;
    decorators.push(location === 'path' ? swagger.ApiParam(rest) : swagger.ApiQuery(rest));
  }
  for (const requirement of doc.security ?? []) decorators.push(swagger.ApiSecurity(requirement));
  for (const response of doc.responses) decorators.push(swagger.ApiResponse(responseOptions(response)));
  return decorators;
}

/**
 * The decorators for a given `@nestjs/swagger` (or none: then every decorator is a no-op and adds no metadata).
 * Injectable for tests; the controllers use `OPENAPI`, built from the installed package.
 */
export function createOpenApiDecorators(swagger: SwaggerApi | undefined): OpenApiDecorators {
  if (!swagger) return NO_OP_DECORATORS;
  return {
    operation: (doc) => applyDecorators(...operationDecorators(swagger, doc)),
    tag: (tag) => swagger.ApiTags(tag),
    excludeEndpoint: () => swagger.ApiExcludeEndpoint(),
    excludeController: () => swagger.ApiExcludeController(),
  };
}

/** The decorators of the controllers: `@nestjs/swagger`'s when it is installed, no-ops otherwise. */
export const OPENAPI: OpenApiDecorators = createOpenApiDecorators(loadOptionalModule<SwaggerApi>('@nestjs/swagger'));

/** Describes a protocol endpoint in the host's OpenAPI document (no-op without `@nestjs/swagger`). */
export const OpenApiOperation = (doc: OperationDoc): MethodDecorator => OPENAPI.operation(doc);

/** Tags the operations of a protocol controller (no-op without `@nestjs/swagger`). */
export const OpenApiTag = (tag: AuthnestOpenApiTag): ClassDecorator => OPENAPI.tag(tag);

/** Leaves a handler out of the host's OpenAPI document (no-op without `@nestjs/swagger`). */
export const OpenApiExclude = (): MethodDecorator => OPENAPI.excludeEndpoint();

/** Leaves a controller out of the host's OpenAPI document (no-op without `@nestjs/swagger`). */
export const OpenApiExcludeController = (): ClassDecorator => OPENAPI.excludeController();
