import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import { randomToken } from '../../internal/random.js';
import { sha256Hex } from '../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { InteractionStore } from '../../persistence/stores/interaction.store.js';
import type { Authentication } from '../accounts/authentication.js';
import type { AuthorizationRequest } from '../authorize/authorization-request.js';

/** The user's answer on the consent step. */
export interface ConsentDecision {
  approved: boolean;
  /** The scopes approved (a subset of the request's); empty when denied. */
  scopes: string[];
}

/** What an interaction keeps as JSON besides its columns. */
export interface InteractionState {
  request: AuthorizationRequest;
  consent?: ConsentDecision;
  /** A login recorded through `InteractionService.login()`: `finish()` starts the browser session. */
  sessionPending?: boolean;
  /** The login's session id and authentication context (from the builtin login, the host's, or the session). */
  authn?: LoginContext;
  /** Set when the interaction answers a device authorization request (RFC 8628) instead of a redirect. */
  device?: DeviceInteraction;
}

/** The device authorization request (its row id, not a code) an interaction approves or denies. */
export interface DeviceInteraction {
  id: string;
}

/** How the user of an interaction authenticated, besides who and when (columns of their own). */
export type LoginContext = Pick<Authentication, 'sid' | 'acr' | 'amr'>;

/** A pending (not completed, unexpired) interaction. */
export interface PendingInteraction {
  id: string;
  idHash: string;
  state: InteractionState;
  accountId: string | null;
  authTime: number | null;
  csrfToken: string;
  expiresAt: number;
}

export type InteractionLookup =
  | { found: true; interaction: PendingInteraction }
  | { found: false; reason: 'unknown' | 'expired' | 'completed' };

/** Interaction ids are 256 random bits in base64url. */
const INTERACTION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Interactions in the database: a random 256-bit id known only by its SHA-256 hash, a CSRF token, the validated
 * request, a lifetime of `interaction.ttl` seconds, and single use (`complete` succeeds once).
 */
@Injectable()
export class InteractionRecords {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly store: InteractionStore,
    private readonly clock: Clock,
  ) {}

  /** Stores a new interaction; `account` is the session's when the user is already logged in. */
  async create(request: AuthorizationRequest, account?: Authentication, device?: DeviceInteraction): Promise<string> {
    const id = randomToken(32);
    const state: InteractionState = account ? { request, authn: { sid: account.sid, acr: account.acr, amr: account.amr } } : { request };
    if (device) state.device = device;
    await this.store.insert({
      idHash: sha256Hex(id),
      clientId: request.clientId,
      request: JSON.stringify(state),
      accountId: account?.accountId ?? null,
      authTime: account?.authTime ?? null,
      csrfToken: randomToken(32),
      expiresAt: this.clock.now() + this.options.interaction.ttl * 1000,
      completedAt: null,
    });
    return id;
  }

  async find(id: string): Promise<InteractionLookup> {
    if (!INTERACTION_ID.test(id)) return { found: false, reason: 'unknown' };
    const idHash = sha256Hex(id);
    const row = await this.store.findByHash(idHash);
    if (!row) return { found: false, reason: 'unknown' };
    if (row.completedAt !== null) return { found: false, reason: 'completed' };
    if (row.expiresAt <= this.clock.now()) return { found: false, reason: 'expired' };
    return {
      found: true,
      interaction: {
        id,
        idHash,
        state: JSON.parse(row.request) as InteractionState,
        accountId: row.accountId,
        authTime: row.authTime,
        csrfToken: row.csrfToken,
        expiresAt: row.expiresAt,
      },
    };
  }

  /** Records who logged in (now) during the interaction, and how. */
  async setAccount(interaction: PendingInteraction, accountId: string, authTime: number, sessionPending: boolean, authn: LoginContext): Promise<void> {
    await this.store.setAccount(interaction.idHash, accountId, authTime);
    const state: InteractionState = { ...interaction.state, sessionPending, authn, consent: undefined };
    await this.store.updateRequest(interaction.idHash, JSON.stringify(state));
  }

  /** Replaces the state; false when the interaction completed meanwhile. */
  saveState(interaction: PendingInteraction, state: InteractionState): Promise<boolean> {
    return this.store.updateRequest(interaction.idHash, JSON.stringify(state));
  }

  /** Marks the interaction used; false when another request completed it first. */
  complete(interaction: PendingInteraction): Promise<boolean> {
    return this.store.complete(interaction.idHash, this.clock.now());
  }
}
