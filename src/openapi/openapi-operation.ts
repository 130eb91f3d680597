import type { ExampleObject, HeaderObject, SchemaObject, SecurityRequirementObject } from '@nestjs/swagger';

/** One response of an operation: its status, body (media type, schema, named examples) and headers. */
export interface ResponseDoc {
  status: number;
  description: string;
  /** Media type of the body. */
  mediaType?: 'application/json' | 'text/html';
  schema?: SchemaObject;
  examples?: Record<string, ExampleObject>;
  headers?: Record<string, HeaderObject>;
}

/** A query or path parameter (browser endpoints and the client configuration endpoint). */
export interface ParameterDoc {
  in: 'query' | 'path';
  name: string;
  description: string;
  required?: boolean;
  schema: SchemaObject;
}

/** The request body of an operation. */
export interface BodyDoc {
  mediaType: 'application/x-www-form-urlencoded' | 'application/json';
  description?: string;
  /** @default true */
  required?: boolean;
  schema: SchemaObject;
  examples?: Record<string, ExampleObject>;
}

/**
 * How one protocol endpoint is described in the host's OpenAPI document. Plain data kept beside the others under
 * `src/openapi/`; the controller applies it with `@OpenApiOperation(doc)`, and its tag with `@OpenApiTag(tag)`.
 */
export interface OperationDoc {
  /** Stable, for generated clients (e.g. `requestToken`). */
  operationId: string;
  summary: string;
  /** Markdown; cites the RFC sections. */
  description: string;
  body?: BodyDoc;
  parameters?: ParameterDoc[];
  /** Alternatives (OpenAPI semantics); `{}` means "no scheme" (credentials in the body, or none). */
  security?: SecurityRequirementObject[];
  responses: ResponseDoc[];
}
