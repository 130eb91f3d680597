import type { PkcePolicy } from '../../options/flow-options.interface.js';
import type { FormParameters } from '../rfc6749/token-request.js';
import { isCodeChallenge, isCodeChallengeMethod, type CodeChallengeMethod } from '../rfc7636/pkce.js';
import { AuthorizationRedirectError } from './authorization-request.js';

export interface PkceBinding {
  codeChallenge?: string;
  codeChallengeMethod?: CodeChallengeMethod;
}

export interface PkceRules {
  pkce: PkcePolicy;
  allowPlainPkce: boolean;
}

/**
 * The PKCE parameters of an authorization request (RFC 7636 section 4.3, OAuth 2.1 section 4.1.1). A challenge is
 * required from every client (`all-clients`, the default) or from public ones; a method without a challenge,
 * an unknown method, `plain` (explicit or defaulted) unless allowed, and a malformed challenge are
 * `invalid_request` (section 4.4.1).
 */
export function pkceParameters(params: FormParameters, publicClient: boolean, rules: PkceRules): PkceBinding {
  const challenge = params.code_challenge;
  const method = params.code_challenge_method;
  if (challenge === undefined) {
    if (method !== undefined) throw new AuthorizationRedirectError('invalid_request', 'The code_challenge parameter is missing');
    if (rules.pkce === 'all-clients' || publicClient) {
      throw new AuthorizationRedirectError('invalid_request', 'A PKCE code_challenge is required (RFC 7636)');
    }
    return {};
  }
  // Section 4.3: without a method the challenge is plain.
  const resolved = method ?? 'plain';
  if (!isCodeChallengeMethod(resolved)) {
    throw new AuthorizationRedirectError('invalid_request', 'The code_challenge_method is not supported');
  }
  if (resolved === 'plain' && !rules.allowPlainPkce) {
    throw new AuthorizationRedirectError('invalid_request', 'The code_challenge_method must be S256');
  }
  if (!isCodeChallenge(challenge)) throw new AuthorizationRedirectError('invalid_request', 'The code_challenge is malformed');
  return { codeChallenge: challenge, codeChallengeMethod: resolved };
}
