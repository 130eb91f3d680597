import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InvalidClientError, InvalidRequestError } from '../../errors/oauth-errors.js';
import { AUTH_EVENTS } from '../../events/auth-event-map.js';
import { AuthEvents } from '../../events/auth-events.service.js';
import { Clock } from '../../internal/clock.js';
import { sha256Hex } from '../../internal/sha256.js';
import { TtlCache } from '../../internal/ttl-cache.js';
import type { ClientAuthMethod } from '../../options/auth-options.interface.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ClientStore } from '../../persistence/stores/client.store.js';
import { dummySecretHash, verifyClientSecret } from '../../tokens/client-secret-hasher.js';
import { JWT_ASSERTION_TYPE, peekAssertion, type UnverifiedAssertion } from '../rfc7523/assertion-checks.js';
import { assertionMethod, ClientAssertions } from '../rfc7523/client-assertions.service.js';
import { endpointOf, reportedClientId } from './request-origin.js';
import { singleHeader, type FormParameters, type ProtocolRequest } from './token-request.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** The client behind a request and how it proved it. */
export interface AuthenticatedClient {
  client: ClientEntity;
  method: ClientAuthMethod;
}

interface PresentedCredentials {
  clientId: string;
  secret?: string;
  /** A JWT client assertion (RFC 7523 section 2.2), with its unverified header and claims. */
  assertion?: { jwt: string; unverified: UnverifiedAssertion };
  method: ClientAuthMethod;
}

const CACHE_ENTRIES = 10_000;

/** RFC 6749 Appendix A.1: a client_id is VSCHARs. Anything else names no client and never reaches the database. */
const CLIENT_ID = /^[\x20-\x7E]+$/;

/** `Authorization: Basic <credentials>` (the scheme is case-insensitive, RFC 7617 section 2). */
const BASIC = /^basic(?: +(.*))?$/i;

/** base64 with its padding, nothing else. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decodes one half of a Basic credential: form-urlencoded inside base64 (RFC 6749 section 2.3.1, Appendix B). */
function formDecode(value: string): string | undefined {
  try {
    // Most ids and secrets have neither `+` nor `%`: nothing to decode.
    if (!value.includes('+') && !value.includes('%')) return value;
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Why `authenticate` refuses a client (for events; the answer is the same `invalid_client` whatever the reason). */
function failureReason(client: ClientEntity | null, secretOk: boolean, presented: PresentedCredentials): string {
  if (!client) return 'unknown_client';
  if (client.disabled) return 'disabled';
  if (secretOk) return 'method_not_allowed';
  if (presented.assertion) return 'bad_assertion';
  return presented.secret === undefined ? 'missing_credentials' : 'bad_secret';
}

/**
 * Client authentication at the token endpoint (RFC 6749 section 2.3): `client_secret_basic`,
 * `client_secret_post`, `client_secret_jwt` and `private_key_jwt` (RFC 7523 section 2.2, `ClientAssertions`), or
 * `none` for public clients. Exactly one method per request; the client's registered methods are enforced;
 * secrets are checked with scrypt in constant time, and an unknown client costs the same work and gets the same
 * answer as a wrong secret.
 */
@Injectable()
export class ClientAuthenticator {
  private readonly logger = new AuthLogger();
  private readonly verified: TtlCache<true>;
  /** scrypt runs in progress, by the same key as `verified`. */
  private readonly verifying = new Map<string, Promise<boolean>>();

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly clients: ClientStore,
    private readonly assertions: ClientAssertions,
    private readonly clock: Clock,
    private readonly events: AuthEvents,
  ) {
    this.verified = new TtlCache(CACHE_ENTRIES, () => this.clock.now());
  }

  async authenticate(request: ProtocolRequest, params: FormParameters): Promise<AuthenticatedClient> {
    const presented = this.readCredentials(request, params);
    const client = CLIENT_ID.test(presented.clientId) ? await this.clients.findForAuthentication(presented.clientId) : null;
    const secretOk = presented.assertion ? await this.checkAssertion(client, presented) : await this.checkSecret(client, presented);
    if (!client || client.disabled || !secretOk || !client.authMethods.includes(presented.method)) {
      this.logger.warn(`Client authentication failed (method ${presented.method})`);
      this.reportFailure(request, presented.method, failureReason(client, secretOk, presented), presented.clientId);
      throw new InvalidClientError('Client authentication failed', {
        basicChallenge: presented.method === 'client_secret_basic',
        realm: this.options.issuer,
      });
    }
    return { client, method: presented.method };
  }

  private readCredentials(request: ProtocolRequest, params: FormParameters): PresentedCredentials {
    const basic = this.readBasic(request);
    if (basic) {
      if (params.client_secret !== undefined || params.client_assertion !== undefined) {
        throw new InvalidRequestError('Use exactly one client authentication method');
      }
      if (params.client_id !== undefined && params.client_id !== basic.clientId) {
        throw new InvalidRequestError('client_id does not match the Authorization header');
      }
      return basic;
    }
    if (params.client_assertion !== undefined || params.client_assertion_type !== undefined) return this.readAssertion(request, params);
    if (params.client_id === undefined) {
      this.reportFailure(request, 'none', 'missing_credentials');
      throw new InvalidClientError('Client authentication failed', { basicChallenge: true, realm: this.options.issuer });
    }
    if (params.client_secret !== undefined) {
      return { clientId: params.client_id, secret: params.client_secret, method: 'client_secret_post' };
    }
    return { clientId: params.client_id, method: 'none' };
  }

  /** A client assertion: its type, a JWT whose `iss` and `sub` are one client id, and `client_id` naming it too if sent. */
  private readAssertion(request: ProtocolRequest, params: FormParameters): PresentedCredentials {
    if (params.client_secret !== undefined) throw new InvalidRequestError('Use exactly one client authentication method');
    const jwt = params.client_assertion;
    const unverified = jwt === undefined || params.client_assertion_type !== JWT_ASSERTION_TYPE ? undefined : peekAssertion(jwt);
    const clientId = unverified?.payload.sub;
    if (!unverified || typeof clientId !== 'string' || clientId !== unverified.payload.iss || (params.client_id !== undefined && params.client_id !== clientId)) {
      this.logger.warn('Client authentication failed (a malformed client assertion)');
      this.reportFailure(request, unverified ? assertionMethod(unverified) : 'client_assertion', 'bad_assertion', typeof clientId === 'string' ? clientId : undefined);
      throw new InvalidClientError('Client authentication failed');
    }
    return { clientId, assertion: { jwt: jwt!, unverified }, method: assertionMethod(unverified) };
  }

  private async checkAssertion(client: ClientEntity | null, presented: PresentedCredentials): Promise<boolean> {
    const method = presented.method as 'client_secret_jwt' | 'private_key_jwt';
    if (!client || client.disabled || !client.authMethods.includes(method)) return false;
    return this.assertions.verify(client, presented.assertion!.jwt, presented.assertion!.unverified, method);
  }

  /** Basic credentials, or undefined when the Authorization header is absent or of another scheme. */
  private readBasic(request: ProtocolRequest): PresentedCredentials | undefined {
    const header = singleHeader(request, 'authorization');
    const match = header === undefined ? null : BASIC.exec(header.trim());
    if (!match) return undefined;
    const encoded = match[1] ?? '';
    if (!BASE64.test(encoded)) throw this.malformedBasic(request);
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw this.malformedBasic(request);
    const clientId = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    if (!clientId || secret === undefined || secret === '') throw this.malformedBasic(request, clientId);
    return { clientId, secret, method: 'client_secret_basic' };
  }

  private malformedBasic(request: ProtocolRequest, clientId?: string): InvalidClientError {
    this.reportFailure(request, 'client_secret_basic', 'malformed_credentials', clientId);
    return new InvalidClientError('Malformed Basic credentials', { basicChallenge: true, realm: this.options.issuer });
  }

  /**
   * Reports a client authentication failure (`authnest.client.authentication_failed`, built only when someone listens):
   * here, and where an endpoint refuses an authenticated client's method (introspection by a public client) or a
   * registration access token (RFC 7592). `claimedId` is reported only when it could be a client id.
   */
  reportFailure(request: ProtocolRequest, method: string, reason: string, claimedId?: string): void {
    if (!this.events.wants(AUTH_EVENTS.clientAuthenticationFailed)) return;
    const clientId = reportedClientId(claimedId);
    this.events.emit(AUTH_EVENTS.clientAuthenticationFailed, { ...(clientId === undefined ? {} : { clientId }), method, endpoint: endpointOf(request), reason });
  }

  private async checkSecret(client: ClientEntity | null, presented: PresentedCredentials): Promise<boolean> {
    if (presented.secret === undefined) return client !== null && client.secretHash === null;
    // HMAC inside scrypt zero-pads short keys: without this, `secret` followed by NULs would match `secret`.
    if (!client?.secretHash || presented.secret.includes('\u0000')) {
      await verifyClientSecret(presented.secret, await dummySecretHash());
      return false;
    }
    const cacheKey = sha256Hex(`${client.clientId}\u0000${client.secretHash}\u0000${presented.secret}`);
    if (this.verified.get(cacheKey)) return true;
    // Requests with the same credentials at the same moment (a fleet starting up) wait for one scrypt run.
    let pending = this.verifying.get(cacheKey);
    if (!pending) {
      pending = verifyClientSecret(presented.secret, client.secretHash).finally(() => this.verifying.delete(cacheKey));
      this.verifying.set(cacheKey, pending);
    }
    const ok = await pending;
    if (ok) this.verified.set(cacheKey, true, this.clock.now() + this.options.clientSecretCacheTtl * 1000);
    return ok;
  }
}
