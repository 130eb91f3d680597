import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { AUTH_EVENTS } from '../../events/auth-event-map.js';
import { AuthEvents } from '../../events/auth-events.service.js';
import { Clock } from '../../internal/clock.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { endpointUrl, interactionPath } from '../endpoint-paths.js';
import { publicPath } from './browser-cookies.js';
import { ConsentPolicy } from './consent-policy.service.js';
import { clientAddress, type BrowserRequest } from './http/browser-request.js';
import { seeOther, withCookies, type PageResponse } from './http/page-response.js';
import { InteractionGate, interactionErrorPage } from './interaction-gate.service.js';
import { InteractionRecords, type PendingInteraction } from './interaction-records.service.js';
import { InteractionError, InteractionService } from './interaction.service.js';
import { LoginAttempts } from './login-attempts.service.js';
import { requestedClaimNames } from '../oidc/claims-request.js';
import { consentPage } from './pages/consent.page.js';
import { errorPage } from './pages/error.page.js';
import { loginPage } from './pages/login.page.js';
import { SessionService } from './session.service.js';

/** Longest user name an event repeats (a longer one is cut). */
const MAX_REPORTED_USERNAME = 255;

/** The user name typed, for `authnest.login.failed`: omitted when empty, printable characters only, cut to length. */
function reportedUsername(username: string): { username?: string } {
  const printable = username.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, MAX_REPORTED_USERNAME);
  return printable === '' ? {} : { username: printable };
}

const WRONG_CREDENTIALS = 'The username or password is incorrect.';
const SESSION_CHANGED = 'You signed in or out in another window while this request was pending. Start again from the application.';

/**
 * The builtin login and consent pages (`interaction.mode: 'builtin'`): GET shows the step the interaction is
 * at; the login and consent forms POST back and are answered with 303 (or the form_post page at the end).
 */
@Injectable()
export class InteractionPages {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly gate: InteractionGate,
    private readonly interactions: InteractionService,
    private readonly records: InteractionRecords,
    private readonly consentPolicy: ConsentPolicy,
    private readonly attempts: LoginAttempts,
    private readonly sessions: SessionService,
    private readonly clock: Clock,
    private readonly events: AuthEvents,
  ) {}

  /** GET: the login page, the consent page, or (nothing left to ask) the response to the client. */
  async show(request: BrowserRequest, id: string): Promise<PageResponse> {
    const gate = await this.gate.open(request, id, 'page');
    if (!gate.open) return gate.page;
    const { interaction, client } = gate;
    if (!interaction.accountId) return this.loginPage(interaction, client);
    if (!(await this.sameAccount(request, interaction.accountId))) return errorPage(400, { message: SESSION_CHANGED });
    const { request: authz } = interaction.state;
    const claims = authz.claims ? requestedClaimNames(authz.claims) : [];
    if (await this.consentPolicy.required(interaction.accountId, client, authz.scopes, authz.prompt, claims)) return this.consentPage(interaction, client);
    return this.finish(id);
  }

  /** POST login: rate limits, credentials, a new session, then consent or the response to the client. */
  async login(request: BrowserRequest, id: string): Promise<PageResponse> {
    const gate = await this.gate.open(request, id, 'form');
    if (!gate.open) return gate.page;
    const { interaction, client, form } = gate;
    const { username, password } = form;
    if (username === undefined || password === undefined) return this.loginPage(interaction, client, 'Enter your username and password.', 400);
    const result = await this.attempts.attempt(username, password, clientAddress(request));
    if (result.outcome !== 'success') {
      this.events.emit(AUTH_EVENTS.loginFailed, {
        ...reportedUsername(username),
        clientId: client.clientId,
        reason: result.outcome === 'limited' ? 'rate_limited' : 'invalid_credentials',
      });
    }
    if (result.outcome === 'limited') {
      const page = this.loginPage(interaction, client, 'Too many sign-in attempts. Wait a while and try again.', 429);
      return { ...page, headers: { ...page.headers, 'Retry-After': String(result.retryAfter) } };
    }
    if (result.outcome === 'invalid') return this.loginPage(interaction, client, WRONG_CREDENTIALS, 400);
    const { id: accountId, acr, amr = ['pwd'] } = result.account;
    this.events.emit(AUTH_EVENTS.loginSucceeded, { subject: accountId, clientId: client.clientId });
    const now = this.clock.now();
    const started = await this.sessions.start({ accountId, authTime: now, acr, amr }, await this.sessions.current(request));
    const { cookie } = started;
    await this.records.setAccount(interaction, accountId, now, false, { sid: started.session.sid, acr: acr ?? null, amr });
    const { scopes, prompt, claims } = interaction.state.request;
    // Someone else than the user the request names: no consent to ask, `finish()` answers login_required.
    if (!this.interactions.acceptsSubject(interaction, client, accountId)) return withCookies(await this.finish(id), [cookie]);
    if (await this.consentPolicy.required(accountId, client, scopes, prompt, claims ? requestedClaimNames(claims) : [])) {
      return seeOther(endpointUrl(this.options.issuer, interactionPath(id)), [cookie]);
    }
    return withCookies(await this.finish(id), [cookie]);
  }

  /** POST consent: Approve issues the code, Deny answers `access_denied`; a replay finds the interaction used. */
  async consent(request: BrowserRequest, id: string): Promise<PageResponse> {
    const gate = await this.gate.open(request, id, 'form');
    if (!gate.open) return gate.page;
    const { interaction, form } = gate;
    if (!interaction.accountId) return errorPage(400, { message: 'Sign in before answering this request. Start again from the application.' });
    if (!(await this.sameAccount(request, interaction.accountId))) return errorPage(400, { message: SESSION_CHANGED });
    if (form.decision !== 'approve' && form.decision !== 'deny') return errorPage(400, { message: 'Choose Approve or Deny.' });
    try {
      await this.interactions.consent(id, { approved: form.decision === 'approve' });
    } catch (error) {
      if (error instanceof InteractionError) return interactionErrorPage(error);
      throw error;
    }
    return this.finish(id);
  }

  private async finish(id: string): Promise<PageResponse> {
    try {
      return await this.interactions.finish(id);
    } catch (error) {
      if (error instanceof InteractionError) return interactionErrorPage(error);
      throw error;
    }
  }

  /** The browser's session must still belong to the account the interaction was answered for. */
  private async sameAccount(request: BrowserRequest, accountId: string): Promise<boolean> {
    return (await this.sessions.current(request))?.accountId === accountId;
  }

  private loginPage(interaction: PendingInteraction, client: ClientEntity, error?: string, status = 200): PageResponse {
    return loginPage({
      clientName: client.name,
      action: publicPath(this.options.issuer, interactionPath(interaction.id, 'interactionLogin')),
      csrfToken: interaction.csrfToken,
      redirectUri: interaction.state.request.redirectUri,
      loginHint: interaction.state.request.loginHint,
      error,
      status,
    });
  }

  private consentPage(interaction: PendingInteraction, client: ClientEntity): PageResponse {
    return consentPage({
      clientName: client.name,
      scopes: interaction.state.request.scopes,
      claims: interaction.state.request.claims ? requestedClaimNames(interaction.state.request.claims) : [],
      action: publicPath(this.options.issuer, interactionPath(interaction.id, 'interactionConsent')),
      csrfToken: interaction.csrfToken,
      redirectUri: interaction.state.request.redirectUri,
    });
  }
}
