import type { Provider, Type } from '@nestjs/common';
import { IdTokenHints } from './id-token-hint.service.js';
import { BackchannelLogout } from './logout/backchannel-logout.service.js';
import { EndSessionController } from './logout/end-session.controller.js';
import { EndSessionEndpoint } from './logout/end-session.service.js';
import { LogoutService } from './logout/logout.service.js';
import { IdTokenService } from './id-token.service.js';
import { NonceRegistry } from './nonce-registry.service.js';
import { OpenIdRequestValidator } from './openid-request.validator.js';
import { pairwiseSaltProvider, SubjectIdentifiers } from './subject-identifier.service.js';
import { UserClaims } from './user-claims.service.js';
import { UserInfoEndpoint } from './userinfo-endpoint.service.js';
import { UserInfoService } from './userinfo.service.js';
import { UserInfoController } from './userinfo.controller.js';

/** Controllers of the OpenID Provider (discovery is served by the metadata controller). */
export const openIdControllers: Type[] = [UserInfoController, EndSessionController];

/** Providers of the OpenID Provider: ID tokens, claims, subjects, nonces, UserInfo, logout. */
export const openIdProviders: Provider[] = [
  pairwiseSaltProvider,
  SubjectIdentifiers,
  UserClaims,
  IdTokenService,
  IdTokenHints,
  NonceRegistry,
  OpenIdRequestValidator,
  UserInfoService,
  UserInfoEndpoint,
  BackchannelLogout,
  LogoutService,
  EndSessionEndpoint,
];
