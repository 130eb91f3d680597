import { Injectable } from '@nestjs/common';
import { AUTH_EVENTS } from '../../events/auth-event-map.js';
import { AuthEvents } from '../../events/auth-events.service.js';
import { Clock } from '../../internal/clock.js';
import { formatScope } from '../../internal/scope.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ClientStore } from '../../persistence/stores/client.store.js';
import type { PromptValue } from '../authorize/authorization-request.js';
import { AuthorizationIssuer } from '../authorize/authorization-issuer.service.js';
import { requestedClaimNames } from '../oidc/claims-request.js';
import { SubjectIdentifiers } from '../oidc/subject-identifier.service.js';
import { DeviceInteractionOutcomes, type InteractionOutcome } from '../rfc8628/device-interaction-outcome.service.js';
import { ConsentPolicy } from './consent-policy.service.js';
import type { BrowserRequest } from './http/browser-request.js';
import { withCookies, type PageResponse } from './http/page-response.js';
import { InteractionBinding } from './interaction-binding.service.js';
import { InteractionRecords, type PendingInteraction } from './interaction-records.service.js';
import { SessionService } from './session.service.js';

/** Why an interaction cannot go on. */
export type InteractionErrorReason =
  | 'unknown'
  | 'expired'
  | 'completed'
  | 'client_unavailable'
  | 'login_required'
  | 'consent_required'
  | 'invalid_scopes';

/** Thrown by `InteractionService` when an interaction is unknown, used up, or not ready for the step asked. */
export class InteractionError extends Error {
  constructor(
    readonly reason: InteractionErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'InteractionError';
  }
}

/** What a host's login/consent page needs to know about a pending interaction. */
export interface InteractionDetails {
  id: string;
  client: { clientId: string; name: string; firstParty: boolean };
  /** The scopes the client asks for (already reduced to what it may get). */
  scopes: string[];
  /** Claims asked for one by one (OpenID Connect `claims` parameter), approved with the scopes. */
  claims: string[];
  prompt: PromptValue[];
  /** OpenID Connect `login_hint`: who the client expects to log in. */
  loginHint?: string;
  /** OpenID Connect `ui_locales`: preferred languages of your pages, in order. */
  uiLocales?: string[];
  /** OpenID Connect `acr_values`: requested authentication context classes, in order. */
  acrValues?: string[];
  /** OpenID Connect `max_age` (seconds): a login older than this was not accepted. */
  maxAge?: number;
  /** The account logged in during the interaction (or through the session), if any. */
  accountId?: string;
  /** True until `login()` (or when `prompt=login` asked for a fresh login). */
  loginRequired: boolean;
  /** Whether `consent()` must be called before `finish()` (for the logged-in account; assumed true before login unless not needed at all). */
  consentRequired: boolean;
  /** When the interaction expires (ms since epoch). */
  expiresAt: number;
  /**
   * What the interaction answers: an authorization request (`finish()` redirects to the client) or a device
   * authorization request (RFC 8628: `finish()` records the decision for the device and shows a result page).
   */
  flow: 'authorization_code' | 'device_code';
}

const MESSAGES: Record<'unknown' | 'expired' | 'completed', string> = {
  unknown: 'This sign-in request is unknown.',
  expired: 'This sign-in request has expired.',
  completed: 'This sign-in request was already completed.',
};

/** The error for an interaction that cannot be found as pending. */
export function lookupError(reason: 'unknown' | 'expired' | 'completed'): InteractionError {
  return new InteractionError(reason, MESSAGES[reason]);
}

/** The interaction's client while it exists and is enabled. */
export async function enabledClient(clients: ClientStore, interaction: PendingInteraction): Promise<ClientEntity> {
  const client = await clients.findById(interaction.state.request.clientId);
  if (!client || client.disabled) throw new InteractionError('client_unavailable', 'The client is unknown or disabled.');
  return client;
}

/**
 * The interaction API for host apps with their own login and consent pages (`interaction.mode: 'custom'`),
 * like node-oidc-provider's interactions: the authorization endpoint redirects the browser to
 * `loginUrl?interaction=<id>`; the host reads the request with `get(id)`, records `login(id, accountId)` and
 * `consent(id, { approved })`, and sends the response of `finish(id)` (a redirect or form_post page, with the
 * session cookie) through `PageResponder`. The builtin pages use the same service.
 */
@Injectable()
export class InteractionService {
  constructor(
    private readonly records: InteractionRecords,
    private readonly clients: ClientStore,
    private readonly consentPolicy: ConsentPolicy,
    private readonly issuer: AuthorizationIssuer,
    private readonly sessions: SessionService,
    private readonly binding: InteractionBinding,
    private readonly subjects: SubjectIdentifiers,
    private readonly clock: Clock,
    private readonly devices: DeviceInteractionOutcomes,
    private readonly events: AuthEvents,
  ) {}

  async get(id: string): Promise<InteractionDetails> {
    const interaction = await this.load(id);
    const client = await this.clientOf(interaction);
    const { request } = interaction.state;
    const accountId = interaction.accountId ?? undefined;
    const claims = request.claims ? requestedClaimNames(request.claims) : [];
    const consentRequired = interaction.state.consent
      ? false
      : accountId
        ? await this.consentPolicy.required(accountId, client, request.scopes, request.prompt, claims)
        : request.prompt.includes('consent') || !client.firstParty;
    const { loginHint, uiLocales, acrValues, maxAge } = request;
    return {
      id,
      client: { clientId: client.clientId, name: client.name, firstParty: client.firstParty },
      scopes: [...request.scopes],
      claims,
      prompt: [...request.prompt],
      ...(loginHint !== undefined ? { loginHint } : {}),
      ...(uiLocales ? { uiLocales: [...uiLocales] } : {}),
      ...(acrValues ? { acrValues: [...acrValues] } : {}),
      ...(maxAge !== undefined ? { maxAge } : {}),
      accountId,
      loginRequired: !accountId,
      consentRequired,
      expiresAt: interaction.expiresAt,
      flow: interaction.state.device ? 'device_code' : 'authorization_code',
    };
  }

  /**
   * Records that `accountId` logged in now, and how (`acr`, `amr` of the ID token, e.g. `{ amr: ['pwd', 'otp'] }`);
   * `finish()` will start the browser session for it.
   */
  async login(id: string, accountId: string, how: { acr?: string; amr?: string[] } = {}): Promise<void> {
    const interaction = await this.load(id);
    await this.records.setAccount(interaction, accountId, this.clock.now(), true, { acr: how.acr ?? null, amr: how.amr ?? [] });
    this.events.emit(AUTH_EVENTS.loginSucceeded, { subject: accountId, clientId: interaction.state.request.clientId });
  }

  /** Records the user's decision; `scopes` (default: all requested) must be a subset of the request's. */
  async consent(id: string, decision: { approved: boolean; scopes?: readonly string[] }): Promise<void> {
    const interaction = await this.load(id);
    const requested = interaction.state.request.scopes;
    const scopes = decision.approved ? [...(decision.scopes ?? requested)] : [];
    if (scopes.some((scope) => !requested.includes(scope))) throw new InteractionError('invalid_scopes', 'Only requested scopes can be approved.');
    if (decision.approved && !interaction.accountId) throw new InteractionError('login_required', 'Log the user in before recording consent.');
    const saved = await this.records.saveState(interaction, { ...interaction.state, consent: { approved: decision.approved, scopes } });
    if (!saved) throw new InteractionError('completed', MESSAGES.completed);
  }

  /**
   * Completes the interaction (once) and resolves the response to send to the browser: the code (or
   * `access_denied` after a denial, or `login_required` when someone else logged in than the user `id_token_hint`
   * named) at the client's redirect URI, by 303 or form_post. A device authorization request (`flow: 'device_code'`)
   * is approved or denied instead, and the browser goes to the verification page's result (303).
   */
  async finish(id: string): Promise<PageResponse> {
    const interaction = await this.load(id);
    const client = await this.clientOf(interaction);
    const { request, consent } = interaction.state;
    const outcome = this.outcomeOf(interaction);
    if (consent && !consent.approved) {
      await this.completeOnce(interaction);
      const subject = interaction.accountId ?? undefined;
      this.events.emit(AUTH_EVENTS.consentDenied, { ...(subject ? { subject } : {}), clientId: client.clientId, scope: formatScope(request.scopes) });
      return outcome.error(request, 'access_denied', 'The user denied the request');
    }
    const { accountId } = interaction;
    if (!accountId) throw new InteractionError('login_required', 'The user has not logged in.');
    if (!this.acceptsSubject(interaction, client, accountId)) {
      await this.completeOnce(interaction);
      return outcome.error(request, 'login_required', 'Another user logged in than the one the request names');
    }
    const claims = request.claims ? requestedClaimNames(request.claims) : [];
    if (!consent && (await this.consentPolicy.required(accountId, client, request.scopes, request.prompt, claims))) {
      throw new InteractionError('consent_required', 'The user has not consented.');
    }
    await this.completeOnce(interaction);
    const authTime = interaction.authTime ?? this.clock.now();
    const scopes = consent?.scopes ?? request.scopes;
    if (consent) await this.consentPolicy.remember(accountId, client.clientId, scopes, claims);
    // Asked now, or covered by a remembered consent; a first-party client is never asked (no consent to report).
    if (consent || !client.firstParty) {
      this.events.emit(AUTH_EVENTS.consentGranted, { subject: accountId, clientId: client.clientId, scope: formatScope(scopes), remembered: !consent });
    }
    const { acr, amr } = interaction.state.authn ?? {};
    if (!interaction.state.sessionPending) return outcome.issue(request, { accountId, authTime, acr, amr, sid: interaction.state.authn?.sid }, scopes);
    const started = await this.sessions.start({ accountId, authTime, acr, amr });
    return withCookies(await outcome.issue(request, started.session, scopes), [started.cookie]);
  }

  /** The client's redirect URI (authorization code flow), or the device authorization request the interaction answers. */
  private outcomeOf(interaction: PendingInteraction): InteractionOutcome {
    const { device } = interaction.state;
    return device ? this.devices.for(device) : this.issuer;
  }

  /**
   * True when the request comes from the browser that started the interaction (its signed binding cookie).
   * Host pages in `custom` mode on the issuer's site should check it before `login()`.
   */
  verifyBrowser(id: string, request: BrowserRequest): boolean {
    return this.binding.matches(request, id);
  }

  /**
   * Whether `accountId` may answer: the request named no user (`id_token_hint`, a `sub` in `claims`) or this one, as
   * the client knows it (OpenID Connect Core section 3.1.2.2). `finish()` answers `login_required` otherwise.
   */
  acceptsSubject(interaction: PendingInteraction, client: ClientEntity, accountId: string): boolean {
    const expected = interaction.state.request.expectedSubject;
    return expected === undefined || this.subjects.subjectFor(accountId, client) === expected;
  }

  /** The pending interaction, or `InteractionError` (unknown, expired, completed). */
  private async load(id: string): Promise<PendingInteraction> {
    const lookup = await this.records.find(id);
    if (!lookup.found) throw lookupError(lookup.reason);
    return lookup.interaction;
  }

  private clientOf(interaction: PendingInteraction): Promise<ClientEntity> {
    return enabledClient(this.clients, interaction);
  }

  private async completeOnce(interaction: PendingInteraction): Promise<void> {
    if (!(await this.records.complete(interaction))) throw new InteractionError('completed', MESSAGES.completed);
  }
}
