import { Injectable } from '@nestjs/common';
import { InvalidRequestError, UnsupportedTokenTypeError } from '../../errors/oauth-errors.js';
import { sha256Hex } from '../../internal/sha256.js';
import type { AccessTokenEntity } from '../../persistence/entities/access-token.entity.js';
import type { RefreshTokenEntity } from '../../persistence/entities/refresh-token.entity.js';
import { AccessTokenStore } from '../../persistence/stores/access-token.store.js';
import { RefreshTokenStore } from '../../persistence/stores/refresh-token.store.js';
import type { FormParameters } from '../rfc6749/token-request.js';

/** `token_type_hint` values this server knows (RFC 7009 section 2.1, RFC 7662 section 2.1). */
export type TokenTypeHint = 'access_token' | 'refresh_token';

/** A token this server issued, as stored (whatever its state). */
export type IssuedToken = { kind: 'refresh_token'; row: RefreshTokenEntity } | { kind: 'access_token'; row: AccessTokenEntity };

/** Reads `token_type_hint`: absent is fine, an unknown value is `unsupported_token_type` (400). */
function parseTokenTypeHint(value: string | undefined): TokenTypeHint | undefined {
  if (value === undefined || value === 'access_token' || value === 'refresh_token') return value;
  throw new UnsupportedTokenTypeError();
}

/**
 * The token a revocation or introspection request names (RFC 7009 section 2.1, RFC 7662 section 2.1): `token` is
 * required (`invalid_request`), then `token_type_hint` is read (`parseTokenTypeHint`).
 */
export function presentedToken(params: FormParameters): { token: string; hint: TokenTypeHint | undefined } {
  if (params.token === undefined) throw new InvalidRequestError('The token parameter is missing');
  return { token: params.token, hint: parseTokenTypeHint(params.token_type_hint) };
}

const ACCESS_FIRST: readonly TokenTypeHint[] = ['access_token', 'refresh_token'];
const REFRESH_FIRST: readonly TokenTypeHint[] = ['refresh_token', 'access_token'];

/**
 * Finds a presented token among the refresh tokens (by its SHA-256 hash) and the access tokens (by the id it carries, then its hash). The hint only orders the
 * search (RFC 7009 section 2.1: a server that cannot find the token under the hint searches all types).
 */
@Injectable()
export class IssuedTokenLookup {
  constructor(
    private readonly refreshTokens: RefreshTokenStore,
    private readonly accessTokens: AccessTokenStore,
  ) {}

  async find(token: string, hint: TokenTypeHint | undefined): Promise<IssuedToken | undefined> {
    // Unhinted, access tokens first: they are the ones resource servers introspect (one lookup instead of two).
    const order: readonly TokenTypeHint[] = hint === 'refresh_token' ? REFRESH_FIRST : ACCESS_FIRST;
    for (const kind of order) {
      const found = await this.findOne(kind, token);
      if (found) return found;
    }
    return undefined;
  }

  private async findOne(kind: TokenTypeHint, token: string): Promise<IssuedToken | undefined> {
    if (kind === 'refresh_token') {
      const row = await this.refreshTokens.findByHash(sha256Hex(token));
      return row ? { kind, row } : undefined;
    }
    const row = await this.accessTokens.findByToken(token);
    return row ? { kind, row } : undefined;
  }
}
