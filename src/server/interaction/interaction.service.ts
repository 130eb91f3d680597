import { Injectable } from '@nestjs/common';
import { Clock } from '../../internal/clock.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ClientStore } from '../../persistence/stores/client.store.js';
import type { PromptValue } from '../authorize/authorization-request.js';
import { AuthorizationIssuer } from '../authorize/authorization-issuer.service.js';
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
  prompt: PromptValue[];
  /** The account logged in during the interaction (or through the session), if any. */
  accountId?: string;
  /** True until `login()` (or when `prompt=login` asked for a fresh login). */
  loginRequired: boolean;
  /** Whether `consent()` must be called before `finish()` (for the logged-in account; assumed true before login unless not needed at all). */
  consentRequired: boolean;
  /** When the interaction expires (ms since epoch). */
  expiresAt: number;
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
    private readonly clock: Clock,
  ) {}

  async get(id: string): Promise<InteractionDetails> {
    const interaction = await this.load(id);
    const client = await this.clientOf(interaction);
    const { request } = interaction.state;
    const accountId = interaction.accountId ?? undefined;
    const consentRequired = interaction.state.consent
      ? false
      : accountId
        ? await this.consentPolicy.required(accountId, client, request.scopes, request.prompt)
        : request.prompt.includes('consent') || !client.firstParty;
    return {
      id,
      client: { clientId: client.clientId, name: client.name, firstParty: client.firstParty },
      scopes: [...request.scopes],
      prompt: [...request.prompt],
      accountId,
      loginRequired: !accountId,
      consentRequired,
      expiresAt: interaction.expiresAt,
    };
  }

  /** Records that `accountId` logged in now; `finish()` will start the browser session for it. */
  async login(id: string, accountId: string): Promise<void> {
    const interaction = await this.load(id);
    await this.records.setAccount(interaction, accountId, this.clock.now(), true);
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
   * `access_denied` after a denial) at the client's redirect URI, by 303 or form_post.
   */
  async finish(id: string): Promise<PageResponse> {
    const interaction = await this.load(id);
    const client = await this.clientOf(interaction);
    const { request, consent } = interaction.state;
    if (consent && !consent.approved) {
      await this.completeOnce(interaction);
      return this.issuer.error(request, 'access_denied', 'The user denied the request');
    }
    const { accountId } = interaction;
    if (!accountId) throw new InteractionError('login_required', 'The user has not logged in.');
    if (!consent && (await this.consentPolicy.required(accountId, client, request.scopes, request.prompt))) {
      throw new InteractionError('consent_required', 'The user has not consented.');
    }
    await this.completeOnce(interaction);
    const authTime = interaction.authTime ?? this.clock.now();
    const scopes = consent?.scopes ?? request.scopes;
    if (consent) await this.consentPolicy.remember(accountId, client.clientId, scopes);
    const response = await this.issuer.issue(request, accountId, authTime, scopes);
    if (!interaction.state.sessionPending) return response;
    return withCookies(response, [await this.sessions.start(accountId, authTime, undefined)]);
  }

  /**
   * True when the request comes from the browser that started the interaction (its signed binding cookie).
   * Host pages in `custom` mode on the issuer's site should check it before `login()`.
   */
  verifyBrowser(id: string, request: BrowserRequest): boolean {
    return this.binding.matches(request, id);
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
