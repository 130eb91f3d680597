import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';

/** What a module's `imports` may hold. */
export type ModuleImport = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

/** The `imports` key of Nest's `@Module()` metadata (`MODULE_METADATA.IMPORTS`). */
const IMPORTS_METADATA = 'imports';

const nameOf = (module: unknown): string => (typeof module === 'function' ? module.name : String((module as DynamicModule | undefined)?.module?.name ?? module));

function importsOf(entry: Type | DynamicModule): readonly unknown[] {
  const moduleClass = typeof entry === 'function' ? entry : entry.module;
  if (typeof moduleClass !== 'function') return [];
  const declared = (Reflect.getMetadata(IMPORTS_METADATA, moduleClass) as unknown[] | undefined) ?? [];
  return typeof entry === 'function' ? declared : [...declared, ...(entry.imports ?? [])];
}

/**
 * Every import of `target` (`AuthModule.forRoot(...)`, `AuthResourceModule.forRootAsync(...)`, or the class) in the
 * import graph of `root`, each exactly as written there. `Promise` imports are not searched.
 */
export function findModuleImports(root: ModuleImport, target: Type): (Type | DynamicModule)[] {
  const found: (Type | DynamicModule)[] = [];
  const seen = new Set<unknown>();
  const visit = (entry: unknown): void => {
    if (entry === undefined || entry === null || seen.has(entry) || entry instanceof Promise) return;
    seen.add(entry);
    if (typeof entry === 'object' && 'forwardRef' in entry && typeof entry.forwardRef === 'function') return visit((entry as ForwardReference).forwardRef());
    const module = entry as Type | DynamicModule;
    if ((typeof module === 'function' ? module : module.module) === target) {
      found.push(module);
      return;
    }
    importsOf(module).forEach(visit);
  };
  visit(root);
  return found;
}

/**
 * The one import of `target` in the import graph of `root`, for `TestingModuleBuilder.overrideModule()`, which
 * matches a module by the very object imported (a `DynamicModule` such as `AuthModule.forRoot(...)` is a new object
 * on each call, so `overrideModule(AuthModule)` alone does not match it):
 *
 * ```ts
 * Test.createTestingModule({ imports: [AppModule] })
 *   .overrideModule(findModuleImport(AppModule, AuthModule))
 *   .useModule(AuthTestingModule.forRoot())
 * ```
 *
 * Throws when `root` does not import `target`, or imports it more than once (override each of `findModuleImports`).
 */
export function findModuleImport(root: ModuleImport, target: Type): Type | DynamicModule {
  const found = findModuleImports(root, target);
  if (found.length === 1) return found[0]!;
  const [rootName, targetName] = [nameOf(root), target.name];
  throw new Error(
    found.length === 0
      ? `authnest/testing: ${rootName} does not import ${targetName} (Promise imports are not searched): import AuthTestingModule directly instead`
      : `authnest/testing: ${rootName} imports ${targetName} ${found.length} times: override each of findModuleImports(${rootName}, ${targetName})`,
  );
}
