import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../../auth.tokens.js';
import { OAuthError } from '../../../errors/oauth-error.js';
import { Clock } from '../../../internal/clock.js';
import { sha256Hex } from '../../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../../options/resolved-options.js';
import { ClientStore } from '../../../persistence/stores/client.store.js';
import { appendQuery } from '../../authorize/authorization-response.js';
import { ENDPOINT_PATHS } from '../../endpoint-paths.js';
import { issuerOrigin, publicPath } from '../../interaction/browser-cookies.js';
import { CookieSigner } from '../../interaction/cookie-signer.service.js';
import { crossSiteRejection, readQueryParameters, type BrowserRequest } from '../../interaction/http/browser-request.js';
import { seeOther, type PageCookie, type PageResponse } from '../../interaction/http/page-response.js';
import { errorPage } from '../../interaction/pages/error.page.js';
import { SessionService, type ActiveSession } from '../../interaction/session.service.js';
import { readFormParameters, type FormParameters } from '../../rfc6749/token-request.js';
import { IdTokenHints } from '../id-token-hint.service.js';
import { SubjectIdentifiers } from '../subject-identifier.service.js';
import { decodeTicket, encodeTicket, type EndSessionRequest, type PostLogoutRedirect } from './end-session-request.js';
import { confirmLogoutPage, signedOutPage, stillSignedInPage } from './logout.pages.js';
import { LogoutService } from './logout.service.js';

const bad = (message: string): PageResponse => errorPage(400, { message });

/**
 * The end-session endpoint (OpenID Connect RP-Initiated Logout 1.0), GET and POST. `id_token_hint` must be an ID
 * token of this server (expired is fine), `client_id` one of its audiences, and `post_logout_redirect_uri` exactly one
 * of the identified client's `postLogoutRedirectUris`: otherwise an error page, no logout and no redirect (section
 * 3). With a hint naming the browser's session the user is signed out at once; without one, or with a hint of another
 * user or session, a confirmation page asks first (its form carries a signed ticket bound to the session). After
 * logout the browser goes to the redirect URI with `state`, or sees a signed-out page.
 */
@Injectable()
export class EndSessionEndpoint {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly clients: ClientStore,
    private readonly hints: IdTokenHints,
    private readonly subjects: SubjectIdentifiers,
    private readonly sessions: SessionService,
    private readonly logout: LogoutService,
    private readonly signer: CookieSigner,
    private readonly clock: Clock,
  ) {}

  async handle(browser: BrowserRequest, method: 'GET' | 'POST'): Promise<PageResponse> {
    let params: FormParameters;
    try {
      params = method === 'GET' ? readQueryParameters(browser) : readFormParameters(browser);
    } catch (error) {
      if (error instanceof OAuthError) return bad(error.description);
      throw error;
    }
    const request = await this.validate(params);
    if (typeof request === 'string') return bad(request);
    const session = await this.sessions.current(browser);
    if (!session) return this.done(request.redirect, []);
    if (this.hintMatches(request, session)) return this.done(request.redirect, [await this.logout.endSession(session)]);
    return this.confirmation(request, session);
  }

  /** POST of the confirmation form. */
  async confirm(browser: BrowserRequest): Promise<PageResponse> {
    if (crossSiteRejection(browser, issuerOrigin(this.options.issuer))) return errorPage(403, { message: 'This form was not submitted from this page.' });
    let form: FormParameters;
    try {
      form = readFormParameters(browser);
    } catch {
      return bad('The form could not be read.');
    }
    const verified = form.ticket === undefined ? undefined : this.signer.verify('logout', form.ticket);
    const ticket = verified === undefined ? undefined : decodeTicket(verified);
    if (!ticket) return errorPage(403, { message: 'This form was not submitted from this page.' });
    if (ticket.expiresAt <= this.clock.now()) return bad('This sign-out request has expired. Start again from the application.');
    const session = await this.sessions.current(browser);
    if (!session) return this.done(ticket.redirect, []);
    if (ticket.session !== this.binding(session)) return bad('You signed in or out in another window. Start again from the application.');
    if (form.decision === 'stay') return stillSignedInPage();
    if (form.decision !== 'logout') return bad('Choose Sign out or Stay signed in.');
    return this.done(ticket.redirect, [await this.logout.endSession(session)]);
  }

  /** The request, or the error to show (section 2, 3). */
  private async validate(params: FormParameters): Promise<EndSessionRequest | string> {
    const request: EndSessionRequest = {};
    if (params.id_token_hint !== undefined) {
      request.hint = await this.hints.verify(params.id_token_hint);
      if (!request.hint) return 'The id_token_hint is not an ID token of this server.';
    }
    if (params.client_id !== undefined && request.hint && !request.hint.audiences.includes(params.client_id)) {
      return 'The client_id does not match the id_token_hint.';
    }
    const clientId = params.client_id ?? (request.hint?.audiences.length === 1 ? request.hint.audiences[0] : undefined);
    if (clientId !== undefined) {
      const client = await this.clients.findById(clientId);
      if (!client || client.disabled) return 'The client is unknown or disabled.';
      request.client = client;
    }
    const uri = params.post_logout_redirect_uri;
    if (uri !== undefined) {
      if (!request.client) return 'The post_logout_redirect_uri cannot be checked without id_token_hint or client_id.';
      if (!request.client.postLogoutRedirectUris.includes(uri)) return 'The post_logout_redirect_uri is not registered for this client.';
      request.redirect = params.state !== undefined ? { uri, state: params.state } : { uri };
    }
    return request;
  }

  /** The hint names this browser's user (as its client sees them) and, if it names a session, this one. */
  private hintMatches(request: EndSessionRequest, session: ActiveSession): boolean {
    const { hint, client } = request;
    if (!hint || !client) return false;
    if (hint.sid !== undefined && hint.sid !== session.sid) return false;
    return this.subjects.subjectFor(session.accountId, client) === hint.sub;
  }

  private confirmation(request: EndSessionRequest, session: ActiveSession): PageResponse {
    const ticket = encodeTicket({
      session: this.binding(session),
      clientId: request.client?.clientId,
      redirect: request.redirect,
      expiresAt: this.clock.now() + this.options.interaction.ttl * 1000,
    });
    return confirmLogoutPage({
      clientName: request.client?.name,
      action: publicPath(this.options.issuer, ENDPOINT_PATHS.endSessionConfirm),
      ticket: this.signer.sign('logout', ticket),
      redirectUri: request.redirect?.uri,
    });
  }

  private done(redirect: PostLogoutRedirect | undefined, cookies: PageCookie[]): PageResponse {
    if (!redirect) return signedOutPage(cookies);
    // Without state the registered URI is used exactly as registered (appendQuery would leave a bare `?`).
    return seeOther(redirect.state !== undefined ? appendQuery(redirect.uri, { state: redirect.state }) : redirect.uri, cookies);
  }

  private binding(session: ActiveSession): string {
    return sha256Hex(`logout\u0000${session.tokenHash}`);
  }
}

