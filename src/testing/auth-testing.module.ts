import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { AuthModule } from '../auth.module.js';
import { ACCOUNT_SERVICE } from '../server/accounts/account.service.js';
import type { AuthResourceTestingOptions, AuthTestingModuleOptions } from './auth-testing-options.interface.js';
import { AuthTesting } from './auth-testing.service.js';
import { TestAccounts } from './test-accounts.service.js';
import { AUTH_TESTING_DEFAULTS, refuseProduction, resolveTestDefaults, testingServerOptions, type ResolvedTestDefaults } from './testing-server-options.js';

const MODULE_NAME = 'AuthTestingModule';

/**
 * A throwaway authnest server for a host app's own tests: the real `AuthModule` (same guards, decorators, endpoints
 * and login pages) on an in-memory SQLite database with keys made at boot, plus `AuthTesting` to mint tokens of any
 * scope and claims, and fake accounts. Nothing is fetched from the network. Refuses to boot under
 * `NODE_ENV=production`.
 *
 * - In place of the app's `AuthModule`: `Test.createTestingModule({ imports: [AppModule] })
 *   .overrideModule(findModuleImport(AppModule, AuthModule)).useModule(AuthTestingModule.forRoot())`.
 * - In place of `AuthResourceModule` (and its remote issuer): the same with `AuthResourceModule` and
 *   `AuthTestingModule.forResourceServer({ audience })`.
 * - Or imported directly in a test module: `imports: [AuthTestingModule.forRoot(), PostsModule]`.
 */
@Module({})
export class AuthTestingModule {
  /** Stands in for `AuthModule.forRoot(...)`: see `AuthTestingModuleOptions`. */
  static forRoot(options: AuthTestingModuleOptions = {}): DynamicModule {
    const accounts: Provider[] = options.accounts === undefined ? [] : [{ provide: ACCOUNT_SERVICE, useFactory: () => new TestAccounts(options.accounts ?? []) }];
    return testingModule(options, accounts);
  }

  /**
   * Stands in for `AuthResourceModule.forRoot(...)`: the guards verify tokens of a local testing server (opaque ones
   * too, without introspection settings) instead of asking the remote issuer, which is never contacted. The
   * testing server's endpoints (`/oauth/*`, `/.well-known/*`) are mounted in the app as with `forRoot()`.
   */
  static forResourceServer(options: AuthResourceTestingOptions = {}): DynamicModule {
    const { realm, ...defaults } = options;
    return testingModule(defaults, [], realm);
  }
}

function testingModule(options: AuthTestingModuleOptions, extraProviders: Provider[], realm?: string): DynamicModule {
  const defaults: Provider = {
    provide: AUTH_TESTING_DEFAULTS,
    // Runs before anything of AuthModule (its options depend on it): a production process stops here.
    useFactory: (): ResolvedTestDefaults => {
      refuseProduction(MODULE_NAME);
      return resolveTestDefaults(options, MODULE_NAME);
    },
  };
  const server = AuthModule.forRootAsync({
    inject: [AUTH_TESTING_DEFAULTS],
    useFactory: (resolved: ResolvedTestDefaults) => testingServerOptions(options, resolved, realm),
  });
  // AuthTesting lives inside AuthModule, beside the stores and keys it mints with.
  const inner: DynamicModule = {
    ...server,
    providers: [...(server.providers ?? []), defaults, AuthTesting, ...extraProviders],
    exports: [...(server.exports ?? []), AuthTesting],
  };
  return { module: AuthTestingModule, global: options.isGlobal ?? true, imports: [inner], exports: [inner] };
}
