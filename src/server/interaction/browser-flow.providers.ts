import type { Provider, Type } from '@nestjs/common';
import { AuthorizationEndpoint } from '../authorize/authorization-endpoint.service.js';
import { AuthorizationIssuer } from '../authorize/authorization-issuer.service.js';
import { AuthorizationRequestValidator } from '../authorize/authorization-request.validator.js';
import { AuthorizeController } from '../authorize/authorize.controller.js';
import { ConsentPolicy } from './consent-policy.service.js';
import { CookieSigner, cookieSigningKeyProvider } from './cookie-signer.service.js';
import { BrowserPageFilter } from './http/browser-page.filter.js';
import { PageResponder } from './http/page-responder.service.js';
import { InteractionBinding } from './interaction-binding.service.js';
import { InteractionGate } from './interaction-gate.service.js';
import { InteractionPages } from './interaction-pages.service.js';
import { InteractionRecords } from './interaction-records.service.js';
import { InteractionController } from './interaction.controller.js';
import { InteractionService } from './interaction.service.js';
import { LoginAttempts } from './login-attempts.service.js';
import { SessionService } from './session.service.js';

/** Controllers of the browser side: the authorization endpoint and the builtin interaction pages. */
export const browserFlowControllers: Type[] = [AuthorizeController, InteractionController];

/** Providers of the browser side (authorization endpoint, interactions, sessions, login, consent). */
export const browserFlowProviders: Provider[] = [
  cookieSigningKeyProvider,
  CookieSigner,
  PageResponder,
  BrowserPageFilter,
  SessionService,
  InteractionRecords,
  InteractionBinding,
  ConsentPolicy,
  LoginAttempts,
  AuthorizationRequestValidator,
  AuthorizationIssuer,
  AuthorizationEndpoint,
  InteractionService,
  InteractionGate,
  InteractionPages,
];
