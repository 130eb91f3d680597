import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import { sha256Hex } from '../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { NonceStore } from '../../persistence/stores/nonce.store.js';
import { ENCRYPTION_SECRET } from '../../tokens/encryption-secret.provider.js';
import { SecretBox } from '../../tokens/secret-box.js';
import { CLIENT_SECRET_PURPOSE } from '../clients/client.service.js';
import { ENDPOINT_PATHS, endpointUrl, PROTOCOL_PATHS } from '../endpoint-paths.js';
import { ASYMMETRIC_ALGORITHMS, HMAC_ALGORITHMS, verifyAssertion, type UnverifiedAssertion } from './assertion-checks.js';
import { ClientKeys } from './client-keys.service.js';

/** The method an assertion stands for, by its `alg`: HMAC is `client_secret_jwt`, anything else `private_key_jwt`. */
export function assertionMethod(assertion: UnverifiedAssertion): 'client_secret_jwt' | 'private_key_jwt' {
  return HMAC_ALGORITHMS.includes(assertion.header.alg ?? '') ? 'client_secret_jwt' : 'private_key_jwt';
}

/**
 * Checks a client assertion (RFC 7523 section 2.2 and 3; OpenID Connect Core section 9) for the client it names:
 * `private_key_jwt` against the client's `jwks` or `jwks_uri` keys with an asymmetric algorithm, `client_secret_jwt`
 * with HMAC under the client's secret (kept sealed for this); only `token_endpoint_auth_signing_alg` when the
 * client registered one. `iss` and `sub` are the client id; `aud` names this server (its issuer, or the URL of
 * the token or another back-channel endpoint); `exp` at most `clientAssertions.maxLifetime` ahead; the `jti` is
 * used once, remembered (SHA-256) until the assertion expires in the database every instance shares.
 */
@Injectable()
export class ClientAssertions {
  private readonly box: SecretBox;
  private readonly audiences: string[];

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly keys: ClientKeys,
    private readonly nonces: NonceStore,
    private readonly clock: Clock,
    @Inject(ENCRYPTION_SECRET) secret: string,
  ) {
    this.box = new SecretBox(secret, CLIENT_SECRET_PURPOSE);
    const paths = new Set<string>([ENDPOINT_PATHS.token, ...PROTOCOL_PATHS]);
    this.audiences = [options.issuer, ...[...paths].map((path) => endpointUrl(options.issuer, path))];
  }

  /** Whether `assertion` (already peeked as `unverified`) authenticates `client` with `method`. */
  async verify(client: ClientEntity, assertion: string, unverified: UnverifiedAssertion, method: 'client_secret_jwt' | 'private_key_jwt'): Promise<boolean> {
    const alg = unverified.header.alg;
    if (client.tokenEndpointAuthSigningAlg && client.tokenEndpointAuthSigningAlg !== alg) return false;
    const key = method === 'client_secret_jwt' ? this.secretKey(client) : this.keys.resolver(client);
    if (!key) return false;
    const now = this.clock.nowSeconds();
    const leeway = this.options.resource.leeway;
    const payload = await verifyAssertion(
      assertion,
      {
        key,
        algorithms: method === 'client_secret_jwt' ? HMAC_ALGORITHMS : ASYMMETRIC_ALGORITHMS,
        audiences: this.audiences,
        issuer: client.clientId,
        subject: client.clientId,
        maxLifetime: this.options.clientAssertions.maxLifetime,
        leeway,
        now,
      },
      true,
    );
    if (!payload) return false;
    const id = sha256Hex(`client-assertion\u0000${client.clientId}\u0000${payload.jti}`);
    return this.nonces.remember(id, this.clock.now(), (payload.exp! + leeway) * 1000);
  }

  private secretKey(client: ClientEntity): Uint8Array | undefined {
    if (!client.secretSealed) return undefined;
    try {
      return new TextEncoder().encode(this.box.open(client.secretSealed));
    } catch {
      return undefined;
    }
  }
}
