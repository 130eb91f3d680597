import { Inject, Injectable, Optional } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { AUTH_EVENTS } from '../../events/auth-event-map.js';
import { AuthEvents } from '../../events/auth-events.service.js';
import { Clock } from '../../internal/clock.js';
import { formatScope } from '../../internal/scope.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ACCOUNT_SERVICE, type AccountService } from '../accounts/account.service.js';
import { findActiveAccount } from '../accounts/active-account.js';
import { endpointUrl, interactionPath } from '../endpoint-paths.js';
import { ConsentPolicy } from '../interaction/consent-policy.service.js';
import { readQueryParameters, type BrowserRequest } from '../interaction/http/browser-request.js';
import { seeOther, type PageResponse } from '../interaction/http/page-response.js';
import { InteractionBinding } from '../interaction/interaction-binding.service.js';
import { InteractionRecords } from '../interaction/interaction-records.service.js';
import { errorPage } from '../interaction/pages/error.page.js';
import { SessionService, type ActiveSession } from '../interaction/session.service.js';
import { exceedsMaxAge } from '../oidc/authentication-request.js';
import { requestedClaimNames } from '../oidc/claims-request.js';
import { SubjectIdentifiers } from '../oidc/subject-identifier.service.js';
import { readFormParameters, type FormParameters } from '../rfc6749/token-request.js';
import { AuthorizationIssuer } from './authorization-issuer.service.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { AuthorizationRequestValidator } from './authorization-request.validator.js';
import { PushedRequestResolver } from '../rfc9126/pushed-request-resolver.service.js';

/**
 * The authorization endpoint (RFC 6749 section 3.1 and 4.1.1, OAuth 2.1 section 4.1.1), GET and POST:
 * validate, then answer at once from a valid session (remembered consent, no `prompt=login`, not older than
 * `max_age`, of the user `id_token_hint` names), answer
 * `login_required` / `consent_required` for `prompt=none`, or start an interaction (builtin pages or the host's
 * `loginUrl`) bound to this browser.
 */
@Injectable()
export class AuthorizationEndpoint {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly validator: AuthorizationRequestValidator,
    private readonly issuer: AuthorizationIssuer,
    private readonly consentPolicy: ConsentPolicy,
    private readonly sessions: SessionService,
    private readonly records: InteractionRecords,
    private readonly binding: InteractionBinding,
    private readonly subjects: SubjectIdentifiers,
    private readonly clock: Clock,
    private readonly pushedRequests: PushedRequestResolver,
    private readonly events: AuthEvents,
    @Optional() @Inject(ACCOUNT_SERVICE) private readonly accounts?: AccountService,
  ) {}

  async handle(request: BrowserRequest, method: 'GET' | 'POST'): Promise<PageResponse> {
    let params: FormParameters;
    try {
      // RFC 6749 section 3.1: GET carries the query; POST a form body (its query is not read).
      params = method === 'GET' ? readQueryParameters(request) : readFormParameters(request);
    } catch (error) {
      if (error instanceof OAuthError) return errorPage(400, { message: error.description });
      throw error;
    }
    // RFC 9126 section 4: a request_uri from the pushed authorization request endpoint stands for the whole request.
    const source = await this.pushedRequests.resolve(params);
    if (source.kind === 'refused') return errorPage(400, { message: source.description });
    const validation = await this.validator.validate(source.params);
    if (validation.kind === 'page-error') return errorPage(400, { message: validation.description });
    if (validation.kind === 'redirect-error') return this.issuer.error(validation.target, validation.code, validation.description);
    const unpushed = source.pushed ? undefined : this.pushedRequests.unpushedRefusal(validation.client);
    if (unpushed) {
      return validation.client.registeredAt !== null ? errorPage(400, { message: unpushed }) : this.issuer.error(validation.request, 'invalid_request', unpushed);
    }
    return this.decide(request, validation.client, validation.request);
  }

  private async decide(browser: BrowserRequest, client: ClientEntity, request: AuthorizationRequest): Promise<PageResponse> {
    const session = await this.activeSession(browser);
    const claims = request.claims ? requestedClaimNames(request.claims) : [];
    const consentRequired = (accountId: string) => this.consentPolicy.required(accountId, client, request.scopes, request.prompt, claims);
    // A session answers only when the request accepts it: not too old for max_age, of the user the request names.
    const usable = session && this.sessionFits(session, client, request) ? session : undefined;
    if (request.prompt.includes('none')) {
      // OpenID Connect Core section 3.1.2.6: never show a page; but a self-registered client's redirect URI is not
      // trusted with an answer nobody asked the user for (RFC 9700 section 4.11.2): that error is a page.
      const refuse = (code: 'login_required' | 'consent_required', description: string) =>
        client.registeredAt !== null ? errorPage(400, { message: description }) : this.issuer.error(request, code, description);
      if (!usable) return refuse('login_required', 'The user is not logged in');
      if (await consentRequired(usable.accountId)) return refuse('consent_required', 'The user has not consented');
      this.rememberedConsent(client, usable, request);
      return this.issuer.issue(request, usable, request.scopes);
    }
    const reuseSession = usable && !request.prompt.includes('login') ? usable : undefined;
    if (reuseSession && !(await consentRequired(reuseSession.accountId))) {
      this.rememberedConsent(client, reuseSession, request);
      return this.issuer.issue(request, reuseSession, request.scopes);
    }
    return this.startInteraction(request, reuseSession);
  }

  /** Answered without a page: a remembered consent covered the request (a first-party client is never asked: nothing to report). */
  private rememberedConsent(client: ClientEntity, session: ActiveSession, request: AuthorizationRequest): void {
    if (client.firstParty) return;
    this.events.emit(AUTH_EVENTS.consentGranted, { subject: session.accountId, clientId: client.clientId, scope: formatScope(request.scopes), remembered: true });
  }

  /** `max_age` (OpenID Connect Core section 3.1.2.1) and the subject of `id_token_hint` / `claims` (section 3.1.2.2). */
  private sessionFits(session: ActiveSession, client: ClientEntity, request: AuthorizationRequest): boolean {
    if (exceedsMaxAge(session.authTime, request.maxAge, this.clock.now())) return false;
    return request.expectedSubject === undefined || this.subjects.subjectFor(session.accountId, client) === request.expectedSubject;
  }

  /** The browser's session when its account is still active. */
  private async activeSession(browser: BrowserRequest): Promise<ActiveSession | undefined> {
    const session = await this.sessions.current(browser);
    if (!session) return undefined;
    return (await findActiveAccount(this.accounts, session.accountId)) ? session : undefined;
  }

  private async startInteraction(request: AuthorizationRequest, session: ActiveSession | undefined): Promise<PageResponse> {
    const id = await this.records.create(request, session);
    const { issuer, interaction } = this.options;
    const location =
      interaction.mode === 'custom' && interaction.loginUrl
        ? `${interaction.loginUrl}${interaction.loginUrl.includes('?') ? '&' : '?'}interaction=${encodeURIComponent(id)}`
        : endpointUrl(issuer, interactionPath(id));
    return seeOther(location, [this.binding.cookie(id)]);
  }
}
