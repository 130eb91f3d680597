import { Inject, Injectable, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { InvalidTokenError } from '../../errors/bearer-errors.js';
import { InvalidRequestError } from '../../errors/oauth-errors.js';
import { AUTH_EVENTS } from '../../events/auth-event-map.js';
import { AuthEvents } from '../../events/auth-events.service.js';
import { Clock } from '../../internal/clock.js';
import { randomToken } from '../../internal/random.js';
import { sha256Hex } from '../../internal/sha256.js';
import { AuthConfigError } from '../../options/auth-config.error.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ClientRegistrationStore } from '../../persistence/stores/client-registration.store.js';
import { hashClientSecret, verifyClientSecret } from '../../tokens/client-secret-hasher.js';
import { ENCRYPTION_SECRET } from '../../tokens/encryption-secret.provider.js';
import { SecretBox } from '../../tokens/secret-box.js';
import { CLIENT_SECRET_PURPOSE } from '../clients/client.service.js';
import { ENDPOINT_PATHS, endpointUrl } from '../endpoint-paths.js';
import { GrantRegistry } from '../rfc6749/grants/grant-registry.service.js';
import type { ProtocolRequest } from '../rfc6749/token-request.js';
import { clientInformation, type ClientInformation } from './client-information.js';
import { readJsonObject, readRequestedMetadata, SERVER_MANAGED_MEMBERS } from './client-metadata.js';
import { validateMetadata, type MetadataContext, type ValidatedMetadata } from './metadata-rules.js';
import { RegistrationAccess, type ManagedClient } from './registration-access.service.js';
import { seedColumns } from '../clients/seed-columns.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** The secret columns of a registered client, and the secret to show when a new one was issued. */
interface SecretColumns {
  secretHash: string | null;
  secretSealed: string | null;
  issued?: string;
}

/**
 * Dynamic client registration (RFC 7591 section 3) and the client configuration endpoint (RFC 7592 section 2): a
 * client registers itself (with an initial access token in that mode), gets a server-assigned `client_id`, a secret
 * shown once (stored as a scrypt hash), and a registration access token (stored as SHA-256) to read, replace (the
 * token rotates) or delete its registration. Bad input changes nothing. Clients configured in code or options are
 * never reachable here (they have no registration access token).
 */
@Injectable()
export class ClientRegistrationEndpoint implements OnApplicationBootstrap {
  private readonly logger = new AuthLogger();
  private readonly box: SecretBox;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly grants: GrantRegistry,
    private readonly access: RegistrationAccess,
    private readonly store: ClientRegistrationStore,
    private readonly clock: Clock,
    @Inject(ENCRYPTION_SECRET) secret: string,
    private readonly events: AuthEvents,
  ) {
    this.box = new SecretBox(secret, CLIENT_SECRET_PURPOSE);
  }

  /** After every grant is registered: `registration.grantTypes` must name grants of the server. */
  onApplicationBootstrap(): void {
    const { mode, grantTypes } = this.options.registration;
    const unknown = grantTypes.filter((grantType) => !this.grants.get(grantType));
    if (unknown.length > 0) throw new AuthConfigError(unknown.map((grantType) => `registration.grantTypes: '${grantType}' is not a supported grant type`));
    if (mode === 'open') this.logger.warn('Client registration is open: anyone may register a client (registration.mode)');
  }

  /** `POST /oauth/register` (RFC 7591 section 3.1): 201 with the client information response. */
  async register(request: ProtocolRequest): Promise<ClientInformation> {
    this.assertEnabled();
    await this.access.countRegistration(request);
    this.access.checkInitialAccessToken(request);
    const requested = readRequestedMetadata(readJsonObject(request));
    const clientId = randomToken(18);
    const validated = validateMetadata(requested, clientId, this.context());
    const issued = validated.needsSecret ? randomToken(this.options.registration.secretBytes) : undefined;
    const secret: SecretColumns = issued
      ? { secretHash: await hashClientSecret(issued), secretSealed: this.sealIfJwt(validated, issued), issued }
      : { secretHash: null, secretSealed: null };
    const now = this.clock.now();
    const token = randomToken(32);
    const client = this.entity(validated, secret, token, { registeredAt: now, createdAt: now, disabled: false });
    await this.store.insert(client);
    this.logger.log(`Client registered (RFC 7591): ${clientId}`);
    this.events.emit(AUTH_EVENTS.clientRegistered, { clientId, source: 'registration-endpoint' });
    return this.information(client, token, secret.issued);
  }

  /** `GET /oauth/register/:clientId` (RFC 7592 section 2.1): the current registration, the presented token echoed. */
  async read(request: ProtocolRequest, clientId: string): Promise<ClientInformation> {
    this.assertEnabled();
    const { client, token } = await this.access.managedClient(request, clientId);
    return this.information(client, token);
  }

  /**
   * `PUT /oauth/register/:clientId` (RFC 7592 section 2.2): the body replaces the registration (omitted members go
   * back to their defaults). It must carry the `client_id`, must not carry server-managed members, and a
   * `client_secret`, when sent, must be the current one. The registration access token rotates (the old one stops
   * working); the secret is kept, and a new one is issued only when the method needs one the server cannot reuse.
   */
  async update(request: ProtocolRequest, clientId: string): Promise<ClientInformation> {
    this.assertEnabled();
    const managed = await this.access.managedClient(request, clientId);
    const body = readJsonObject(request);
    const forbidden = SERVER_MANAGED_MEMBERS.find((name) => Object.prototype.hasOwnProperty.call(body, name) && body[name] !== null);
    if (forbidden) throw new InvalidRequestError(`The request must not include ${forbidden}`);
    if (body.client_id !== clientId) throw new InvalidRequestError("The request must include the client's own client_id");
    const presentedSecret = await this.checkPresentedSecret(body, managed.client);
    const validated = validateMetadata(readRequestedMetadata(body), clientId, this.context());
    const secret = await this.keptSecret(validated, managed.client, presentedSecret);
    const token = randomToken(32);
    const { registeredAt, createdAt, disabled } = managed.client;
    const client = this.entity(validated, secret, token, { registeredAt: registeredAt ?? createdAt, createdAt, disabled });
    if (!(await this.store.replace(client, managed.tokenHash))) throw this.lostRace();
    this.logger.log(`Client registration updated (RFC 7592): ${clientId}`);
    this.events.emit(AUTH_EVENTS.clientUpdated, { clientId, source: 'registration-endpoint', change: secret.issued ? 'secret-rotated' : 'updated' });
    return this.information(client, token, secret.issued);
  }

  /** `DELETE /oauth/register/:clientId` (RFC 7592 section 2.3): the client, its tokens and grants are gone. */
  async remove(request: ProtocolRequest, clientId: string): Promise<void> {
    this.assertEnabled();
    const managed: ManagedClient = await this.access.managedClient(request, clientId);
    if (!(await this.store.deleteRegistered(clientId, managed.tokenHash, this.clock.now()))) throw this.lostRace();
    this.logger.log(`Client registration deleted (RFC 7592): ${clientId}`);
    this.events.emit(AUTH_EVENTS.clientUpdated, { clientId, source: 'registration-endpoint', change: 'deleted' });
  }

  /** With registration disabled the endpoints do not exist. */
  private assertEnabled(): void {
    if (this.options.registration.mode === 'disabled') throw new NotFoundException();
  }

  private context(): MetadataContext {
    const grants = new Map(this.grants.grantTypes().map((grantType) => [grantType, { allowsPublicClients: this.grants.get(grantType)?.allowsPublicClients ?? false }]));
    return {
      registration: this.options.registration,
      signingAlgorithm: this.options.signing.algorithm,
      allowPrivateUris: this.options.clientAssertions.allowPrivateJwksUri,
      grants,
      dpopEnabled: this.options.dpop.enabled,
    };
  }

  /** A `client_secret` in an update must be the current one (RFC 7592 section 2.2); resolves it when it is. */
  private async checkPresentedSecret(body: Record<string, unknown>, client: ClientEntity): Promise<string | undefined> {
    const presented = body.client_secret;
    if (presented === undefined || presented === null) return undefined;
    const matches = typeof presented === 'string' && client.secretHash !== null && presented.length <= 512 && (await verifyClientSecret(presented, client.secretHash));
    if (!matches) throw new InvalidRequestError('The client_secret is not the current one');
    return presented;
  }

  /**
   * The secret after an update: none for a method without one; the current one kept (its hash, and its seal for
   * client_secret_jwt, which can be made from a presented secret); a new one only when there is none to keep.
   */
  private async keptSecret(validated: ValidatedMetadata, client: ClientEntity, presented: string | undefined): Promise<SecretColumns> {
    if (!validated.needsSecret) return { secretHash: null, secretSealed: null };
    const jwt = validated.seed.authMethods.includes('client_secret_jwt');
    if (client.secretHash !== null && (!jwt || client.secretSealed !== null || presented !== undefined)) {
      return { secretHash: client.secretHash, secretSealed: jwt ? (client.secretSealed ?? this.box.seal(presented!)) : null };
    }
    const issued = randomToken(this.options.registration.secretBytes);
    return { secretHash: await hashClientSecret(issued), secretSealed: this.sealIfJwt(validated, issued), issued };
  }

  private sealIfJwt(validated: ValidatedMetadata, secret: string): string | null {
    return validated.seed.authMethods.includes('client_secret_jwt') ? this.box.seal(secret) : null;
  }

  private entity(
    validated: ValidatedMetadata,
    secret: SecretColumns,
    token: string,
    kept: { registeredAt: number; createdAt: number; disabled: boolean },
  ): ClientEntity {
    const { seed, stored } = validated;
    const now = this.clock.now();
    const ttl = this.options.registration.registrationAccessTokenTtl;
    return {
      ...seedColumns(seed),
      secretHash: secret.secretHash,
      accessTokenFormat: null,
      audience: null,
      disabled: kept.disabled,
      firstParty: false,
      allowIntrospection: false,
      secretSealed: secret.secretSealed,
      createdAt: kept.createdAt,
      updatedAt: now,
      registeredAt: kept.registeredAt,
      registrationTokenHash: sha256Hex(token),
      registrationTokenExpiresAt: ttl > 0 ? now + ttl * 1000 : null,
      registrationMetadata: stored,
    };
  }

  private information(client: ClientEntity, token: string, issuedSecret?: string): ClientInformation {
    const registrationClientUri = endpointUrl(this.options.issuer, `${ENDPOINT_PATHS.registration}/${encodeURIComponent(client.clientId)}`);
    return clientInformation(client, { registrationAccessToken: token, registrationClientUri, clientSecret: issuedSecret }, this.options.signing.algorithm);
  }

  /** A concurrent update or delete with the same token won: this token is no longer current. */
  private lostRace(): InvalidTokenError {
    return new InvalidTokenError(this.options.resource.realm, 'The registration access token is invalid');
  }
}
