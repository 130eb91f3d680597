import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { ACCOUNT_SERVICE, type AccountService } from '../accounts/account.service.js';
import { findActiveAccount } from '../accounts/active-account.js';
import type { Authentication } from '../accounts/authentication.js';
import type { AuthorizationErrorCode, AuthorizationRequest, RedirectTarget } from '../authorize/authorization-request.js';
import { ENDPOINT_PATHS, endpointUrl } from '../endpoint-paths.js';
import { seeOther, type PageResponse } from '../interaction/http/page-response.js';
import type { DeviceInteraction } from '../interaction/interaction-records.service.js';
import { errorPage } from '../interaction/pages/error.page.js';
import { DeviceCodes } from './device-codes.service.js';

/**
 * How a completed interaction answers: the authorization code flow's `AuthorizationIssuer` (a redirect to the client)
 * or, for a device authorization request, a decision recorded for the device to pick up by polling.
 */
export interface InteractionOutcome {
  issue(request: AuthorizationRequest, login: Authentication, scopes: readonly string[]): Promise<PageResponse>;
  error(target: RedirectTarget, code: AuthorizationErrorCode, description: string): PageResponse | Promise<PageResponse>;
}

/** The verification page's result view (`?result=approved|denied`). */
export function deviceResultUrl(issuer: string, result: 'approved' | 'denied'): string {
  return `${endpointUrl(issuer, ENDPOINT_PATHS.device)}?result=${result}`;
}

const GONE = 'This code expired or was already used. Start again on your device.';

/**
 * The end of an interaction that answers a device authorization request (RFC 8628 section 3.3): approval records the
 * account, its login and the granted scopes on the request (only while it is pending and unexpired), any refusal
 * (a denial, an inactive account) denies it; the browser then goes to the verification page's result view (303).
 */
@Injectable()
export class DeviceInteractionOutcomes {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly devices: DeviceCodes,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {}

  for(device: DeviceInteraction): InteractionOutcome {
    return {
      issue: (_request, login, scopes) => this.approve(device.id, login, scopes),
      error: () => this.deny(device.id),
    };
  }

  private async approve(id: string, login: Authentication, scopes: readonly string[]): Promise<PageResponse> {
    if (!(await findActiveAccount(this.accounts, login.accountId))) return this.deny(id);
    const { accountId, authTime } = login;
    const approved = await this.devices.decide(id, { status: 'approved', accountId, authTime, acr: login.acr ?? null, amr: [...(login.amr ?? [])], scopes: [...scopes] });
    return approved ? seeOther(deviceResultUrl(this.options.issuer, 'approved')) : errorPage(400, { message: GONE });
  }

  private async deny(id: string): Promise<PageResponse> {
    const denied = await this.devices.decide(id, { status: 'denied' });
    return denied ? seeOther(deviceResultUrl(this.options.issuer, 'denied')) : errorPage(400, { message: GONE });
  }
}
