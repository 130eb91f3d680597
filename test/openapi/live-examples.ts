import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenAPIObject } from '@nestjs/swagger';
import { expect } from 'vitest';
import type { TestResponse } from '../support/http.js';
import { operation, type HttpMethod, type Json } from './openapi-support.js';

/**
 * Compares live answers with the document: each answer must be exactly one of the examples documented for its
 * status, with the documented `Cache-Control` and `Pragma`. Remembers the descriptions it saw.
 */
export class LiveExamples {
  readonly verified = new Set<string>();

  constructor(private readonly doc: OpenAPIObject) {}

  /** `res` is one of the documented examples of `method path` for its status; returns the example's key. */
  expectDocumented(res: TestResponse, path: string, method: HttpMethod): string {
    const response = operation(this.doc, path, method).responses?.[res.status] as Json | undefined;
    expect(response, `${method.toUpperCase()} ${path} documents status ${res.status} (${res.text})`).toBeDefined();
    const examples = Object.entries((response!.content?.['application/json']?.examples ?? {}) as Json);
    const match = examples.find(([, example]) => JSON.stringify(example.value) === JSON.stringify(res.body));
    expect(match, `${method.toUpperCase()} ${path} ${res.status}: ${res.text} is a documented example`).toBeDefined();
    // Conditional headers (WWW-Authenticate after Basic, Retry-After, DPoP-Nonce) are checked by the tests themselves.
    for (const name of Object.keys(response!.headers ?? {}).filter((header) => ['Cache-Control', 'Pragma'].includes(header))) {
      expect(res.headers.get(name), `${path} ${res.status} sends ${name}`).toBe(response!.headers[name].schema.example);
    }
    const description = res.body.error_description;
    if (typeof description === 'string') this.verified.add(description);
    return match![0];
  }

  /** The keys of a live success body are documented properties of its schema. */
  expectSchemaCovers(res: TestResponse, path: string, method: HttpMethod): void {
    const schema = operation(this.doc, path, method).responses[res.status].content['application/json'].schema as Json;
    const documented = Object.keys(schema.properties ?? {});
    expect(Object.keys(res.body).filter((key) => !documented.includes(key)), `${path} ${res.status} members beyond the schema`).toEqual([]);
  }
}

/** The text of the server's code: every `.ts` file of src/ except the OpenAPI descriptions and unit specs. */
export function serverSource(): string {
  const root = fileURLToPath(new URL('../../src', import.meta.url));
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.startsWith('openapi'))
    .map((file) => readFileSync(join(root, file), 'utf8'))
    .join('\n');
}
