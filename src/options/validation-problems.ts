import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

function flatten(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((error) => {
    const path = Array.isArray(error.target) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Validates `value` against a class-validator `schema` and lists every problem as `path: message`, the path
 * starting at `prefix` (`''` for the root; array entries as `clients[0]`). An unknown property is a problem
 * (`forbidNonWhitelisted`), so a typo in the options stops the boot.
 */
export function validationProblems(schema: new () => object, value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [`${prefix || 'options'}: must be an object`];
  const instance = plainToInstance(schema, value);
  return flatten(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }), prefix);
}
