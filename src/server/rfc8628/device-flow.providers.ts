import type { Provider, Type } from '@nestjs/common';
import { DeviceCodeStore } from '../../persistence/stores/device-code.store.js';
import { DeviceAuthorizationEndpoint } from './device-authorization-endpoint.service.js';
import { DeviceAuthorizationController } from './device-authorization.controller.js';
import { DeviceBrowser } from './device-browser.service.js';
import { DeviceCodeGrant } from './device-code.grant.js';
import { DeviceCodes, userCodeKeyProvider } from './device-codes.service.js';
import { DeviceInteractionOutcomes } from './device-interaction-outcome.service.js';
import { DeviceVerificationController } from './device-verification.controller.js';
import { DeviceVerification } from './device-verification.service.js';

/** Controllers of the device authorization grant (RFC 8628): the device authorization endpoint and the verification page. */
export const deviceFlowControllers: Type[] = [DeviceAuthorizationController, DeviceVerificationController];

/** Providers of the device authorization grant: codes, the grant handler, the verification page and its outcome. */
export const deviceFlowProviders: Provider[] = [
  DeviceCodeStore,
  userCodeKeyProvider,
  DeviceCodes,
  DeviceCodeGrant,
  DeviceAuthorizationEndpoint,
  DeviceBrowser,
  DeviceVerification,
  DeviceInteractionOutcomes,
];
