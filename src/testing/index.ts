/**
 * `authnest/testing`: a throwaway authnest server for a host app's own tests. Tokens of any scope and claims with no
 * login flow, fake accounts, no network. Never import it from production code (it refuses to boot there).
 */
export { AuthTestingModule } from './auth-testing.module.js';
export { AuthTesting } from './auth-testing.service.js';
export { TestAccounts } from './test-accounts.service.js';
export { findModuleImport, findModuleImports, type ModuleImport } from './find-module-import.js';
export type {
  AuthResourceTestingOptions,
  AuthTestingModuleOptions,
  MintAccessTokenOptions,
  MintIdTokenOptions,
  TestAccountSeed,
  TestTokenDefaults,
} from './auth-testing-options.interface.js';
