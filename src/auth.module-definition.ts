import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AuthModuleOptions } from './options/auth-options.interface.js';

/** `isGlobal: true` makes the guards and services injectable in every module without importing AuthModule. */
export interface AuthModuleExtras {
  /** @default false */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: AuthModuleBase,
  MODULE_OPTIONS_TOKEN: AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE: AUTH_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AUTH_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthModuleOptions>({ moduleName: 'AuthModule' })
  .setClassMethodName('forRoot')
  .setExtras<AuthModuleExtras>({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
