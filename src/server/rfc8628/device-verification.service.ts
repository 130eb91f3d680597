import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { Clock } from '../../internal/clock.js';
import { sha256Hex } from '../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { DeviceCodeEntity } from '../../persistence/entities/device-code.entity.js';
import { ClientStore } from '../../persistence/stores/client.store.js';
import { RateLimitStore } from '../../persistence/stores/rate-limit.store.js';
import { ACCOUNT_SERVICE, type AccountService } from '../accounts/account.service.js';
import { findActiveAccount } from '../accounts/active-account.js';
import type { AuthorizationRequest } from '../authorize/authorization-request.js';
import { ENDPOINT_PATHS, endpointUrl, interactionPath } from '../endpoint-paths.js';
import { issuerOrigin, publicPath } from '../interaction/browser-cookies.js';
import { clientAddress, crossSiteRejection, readQueryParameters, type BrowserRequest } from '../interaction/http/browser-request.js';
import { seeOther, type PageCookie, type PageResponse } from '../interaction/http/page-response.js';
import { InteractionBinding } from '../interaction/interaction-binding.service.js';
import { InteractionRecords } from '../interaction/interaction-records.service.js';
import { errorPage } from '../interaction/pages/error.page.js';
import { SessionService } from '../interaction/session.service.js';
import { readFormParameters, type FormParameters } from '../rfc6749/token-request.js';
import { DeviceBrowser } from './device-browser.service.js';
import { DeviceCodes } from './device-codes.service.js';
import { deviceResultPage, userCodePage } from './device.pages.js';
import { formatUserCode, normalizeUserCode } from './user-code.js';

const FORBIDDEN = 'This form was not submitted from this page. Open the page again and enter the code.';
const WRONG_CODE = 'That code is not valid. Check the code on your device and try again.';

type Limit = { limited: false } | { limited: true; retryAfter: number };

/**
 * The verification page (RFC 8628 section 3.3): GET shows the code form (prefilled from `verification_uri_complete`,
 * never submitted by itself) or the result of a finished request; POST takes the code. The form is protected like the
 * login and consent forms: cross-site POSTs get 403, and the form must carry the browser's signed cookie token. Every
 * entry counts against `deviceFlow.userCodeRateLimit` per browser and per client address in the database (429 with
 * `Retry-After`), before the code is looked up; a wrong, expired or used code gets one message. A right code starts
 * an interaction bound to this browser, with the login (unless the browser's session is used) and consent pages of
 * the code flow, builtin or the host's `loginUrl`. Consent is always asked: the user approves a device, not a redirect.
 */
@Injectable()
export class DeviceVerification {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly browser: DeviceBrowser,
    private readonly devices: DeviceCodes,
    private readonly limits: RateLimitStore,
    private readonly clients: ClientStore,
    private readonly sessions: SessionService,
    private readonly records: InteractionRecords,
    private readonly binding: InteractionBinding,
    private readonly clock: Clock,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {}

  /** GET: the code form, or the result view after an interaction (`?result=approved|denied`). */
  show(request: BrowserRequest): PageResponse {
    let query: FormParameters;
    try {
      query = readQueryParameters(request);
    } catch (error) {
      if (error instanceof OAuthError) return errorPage(400, { message: 'The address of this page is malformed.' });
      throw error;
    }
    if (query.result === 'approved' || query.result === 'denied') return deviceResultPage(query.result);
    const { token, cookies } = this.browser.ensure(request);
    const prefill = query.user_code === undefined ? undefined : normalizeUserCode(query.user_code, this.options.deviceFlow.userCodeLength);
    return this.form(token, { userCode: prefill ? formatUserCode(prefill) : undefined, cookies });
  }

  /** POST: CSRF checks, rate limits, the code, then the interaction. */
  async submit(request: BrowserRequest): Promise<PageResponse> {
    if (crossSiteRejection(request, issuerOrigin(this.options.issuer))) return errorPage(403, { message: FORBIDDEN });
    let form: FormParameters;
    try {
      form = readFormParameters(request);
    } catch (error) {
      if (error instanceof OAuthError) return errorPage(400, { message: 'The form could not be read.' });
      throw error;
    }
    const token = this.browser.verifiedToken(request, form.csrf);
    if (!token) return errorPage(403, { message: FORBIDDEN });
    if (form.user_code === undefined) return this.form(token, { error: 'Enter the code shown on your device.', status: 400 });
    const limit = await this.count(token, clientAddress(request));
    if (limit.limited) {
      return this.form(token, { error: 'Too many codes were entered. Wait a while and try again.', status: 429, headers: { 'Retry-After': String(limit.retryAfter) } });
    }
    const row = await this.devices.findPendingByUserCode(form.user_code);
    const client = row ? await this.clients.findById(row.clientId) : null;
    if (!row || !client || client.disabled) return this.form(token, { error: WRONG_CODE, status: 400 });
    return this.startInteraction(request, row);
  }

  /** One entry per browser and per address, counted before the code is looked at; over either limit: limited. */
  private async count(token: string, address: string): Promise<Limit> {
    const { perBrowser, perAddress } = this.options.deviceFlow.userCodeRateLimit;
    const now = this.clock.now();
    const byBrowser = await this.limits.hit(`device:browser:${sha256Hex(token)}`, now, perBrowser.window * 1000);
    const byAddress = await this.limits.hit(`device:addr:${sha256Hex(address)}`, now, perAddress.window * 1000);
    if (byAddress > perAddress.max) return { limited: true, retryAfter: perAddress.window };
    if (byBrowser > perBrowser.max) return { limited: true, retryAfter: perBrowser.window };
    return { limited: false };
  }

  private async startInteraction(browser: BrowserRequest, row: DeviceCodeEntity): Promise<PageResponse> {
    const { issuer, interaction } = this.options;
    const request: AuthorizationRequest = {
      clientId: row.clientId,
      // The interaction's pages end on the verification page: it is the only "redirect URI" a device request has.
      redirectUri: endpointUrl(issuer, ENDPOINT_PATHS.device),
      redirectUriSent: false,
      responseMode: 'query',
      scopes: row.scopes,
      prompt: ['consent'],
    };
    const session = await this.sessions.current(browser);
    const usable = session && (await findActiveAccount(this.accounts, session.accountId)) ? session : undefined;
    const id = await this.records.create(request, usable, { id: row.id });
    const location =
      interaction.mode === 'custom' && interaction.loginUrl
        ? `${interaction.loginUrl}${interaction.loginUrl.includes('?') ? '&' : '?'}interaction=${encodeURIComponent(id)}`
        : endpointUrl(issuer, interactionPath(id));
    return seeOther(location, [this.binding.cookie(id)]);
  }

  private form(token: string, page: { userCode?: string; error?: string; status?: number; headers?: Record<string, string>; cookies?: PageCookie[] }): PageResponse {
    const { issuer, interaction } = this.options;
    return userCodePage({
      ...page,
      action: publicPath(issuer, ENDPOINT_PATHS.device),
      csrfToken: token,
      // Chrome applies form-action to the redirect after the POST: a custom login page elsewhere must be allowed.
      formTargets: interaction.mode === 'custom' && interaction.loginUrl ? [interaction.loginUrl] : [],
    });
  }
}
