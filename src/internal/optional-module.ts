import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/**
 * Loads an optional peer dependency (such as `@nestjs/swagger`) synchronously, or undefined when the host did not
 * install it. Synchronous on purpose: no top-level await, so CommonJS hosts can `require('authnest')`.
 */
export function loadOptionalModule<T>(name: string): T | undefined {
  try {
    return requireFromHere(name) as T;
  } catch (error) {
    if (isMissing(error, name)) return undefined;
    throw error;
  }
}

function isMissing(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown }).code;
  return (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && String((error as Error).message).includes(name);
}
