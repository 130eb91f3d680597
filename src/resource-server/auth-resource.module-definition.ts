import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AuthResourceModuleOptions } from './auth-resource-options.interface.js';

/** `isGlobal: true` makes the guards injectable in every module without importing AuthResourceModule. */
export interface AuthResourceModuleExtras {
  /** @default false */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: AuthResourceModuleBase,
  MODULE_OPTIONS_TOKEN: AUTH_RESOURCE_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<AuthResourceModuleOptions>({ moduleName: 'AuthResourceModule' })
  .setClassMethodName('forRoot')
  .setExtras<AuthResourceModuleExtras>({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** DI token of the validated options (`ResolvedAuthResourceOptions`). */
export const AUTH_RESOURCE_OPTIONS = Symbol('authnest:resource-server-options');
