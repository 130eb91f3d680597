import { Inject, Injectable } from '@nestjs/common';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { KeyStoreService } from '../../tokens/key-store.service.js';

/** What a verified `id_token_hint` says. */
export interface IdTokenHint {
  /** `sub` as the client saw it (pairwise for pairwise clients). */
  sub: string;
  /** `aud`: the client(s) the ID token was issued to. */
  audiences: string[];
  /** The login session it came from, if it names one. */
  sid?: string;
}

const ALGORITHMS = ['ES256', 'RS256', 'EdDSA'];

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

/**
 * Verifies an ID token sent back as `id_token_hint` (OpenID Connect Core section 3.1.2.1, RP-Initiated Logout
 * section 2): signed by one of this server's published keys, `iss` this issuer, a `sub` and an `aud`, `typ` absent
 * or `JWT` (an access token, `at+jwt`, or a logout token, `logout+jwt`, is not an ID token), no `events` claim, and
 * no `nbf` in the future. An expired ID token is still a valid hint. Anything else resolves undefined.
 */
@Injectable()
export class IdTokenHints {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly keys: KeyStoreService,
    private readonly clock: Clock,
  ) {}

  async verify(token: string): Promise<IdTokenHint | undefined> {
    let payload: Record<string, unknown>;
    try {
      const typ = decodeProtectedHeader(token).typ;
      if (typ !== undefined && typ.toUpperCase() !== 'JWT') return undefined;
      const verified = await compactVerify(token, createLocalJWKSet({ keys: [...this.keys.publicKeys()] }), { algorithms: ALGORITHMS });
      payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
    const audiences = stringList(payload.aud);
    if (payload.iss !== this.options.issuer || typeof payload.sub !== 'string' || !audiences || payload.events !== undefined) return undefined;
    const leeway = this.options.resource.leeway;
    if (payload.nbf !== undefined && !(typeof payload.nbf === 'number' && payload.nbf <= this.clock.nowSeconds() + leeway)) return undefined;
    const hint: IdTokenHint = { sub: payload.sub, audiences };
    if (typeof payload.sid === 'string') hint.sid = payload.sid;
    return hint;
  }
}
