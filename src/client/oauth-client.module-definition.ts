import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { OAuthClientModuleOptions } from './oauth-client-options.interface.js';

/** Module-level extras of `OAuthClientModule`. */
export interface OAuthClientModuleExtras {
  /** @default false */
  isGlobal?: boolean;
  /**
   * `forRootAsync` only: the provider names to make injectable with `@InjectOAuthClient(name)` (their options come
   * from the factory, so the names must be known up front; `forRoot` takes them from `providers`).
   * @default []
   */
  clients?: string[];
}

export const {
  ConfigurableModuleClass: OAuthClientModuleBase,
  MODULE_OPTIONS_TOKEN: OAUTH_CLIENT_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<OAuthClientModuleOptions>({ moduleName: 'OAuthClientModule' })
  .setClassMethodName('forRoot')
  .setExtras<OAuthClientModuleExtras>({ isGlobal: false, clients: [] }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
