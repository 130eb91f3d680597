import { AuthorizationRedirectError, type PromptValue, type ResponseMode } from './authorization-request.js';

const RESPONSE_MODES: readonly ResponseMode[] = ['query', 'form_post'];
const PROMPTS: readonly PromptValue[] = ['none', 'login', 'consent'];

/** `response_mode` (query by default); anything else is unknown (answered in query mode). */
export function responseModeOf(value: string | undefined): ResponseMode | undefined {
  if (value === undefined) return 'query';
  return (RESPONSE_MODES as readonly string[]).includes(value) ? (value as ResponseMode) : undefined;
}

/** RFC 6749 section 3.1.1: only `code` is supported (OAuth 2.1 drops the implicit `token`). */
export function checkResponseType(value: string | undefined): void {
  if (value === undefined) throw new AuthorizationRedirectError('invalid_request', 'The response_type parameter is missing');
  if (value !== 'code') throw new AuthorizationRedirectError('unsupported_response_type', 'Only response_type=code is supported');
}

/**
 * OpenID Connect Core section 11: `offline_access` (a grant that outlives the login session) needs consent given in
 * this request, `prompt=consent`, unless the client is first-party; otherwise it is dropped from an `openid` request.
 */
export function offlineAccessRule(scopes: string[], prompt: readonly PromptValue[], firstParty: boolean): string[] {
  if (!scopes.includes('openid') || !scopes.includes('offline_access') || prompt.includes('consent') || firstParty) return scopes;
  return scopes.filter((scope) => scope !== 'offline_access');
}

/**
 * `prompt` (OpenID Connect Core section 3.1.2.1): space-separated `none`, `login`, `consent`; `none` with any
 * other value and unknown values are `invalid_request`.
 */
export function parsePrompt(value: string | undefined): PromptValue[] {
  if (value === undefined) return [];
  const values = [...new Set(value.split(' ').filter((item) => item.length > 0))];
  if (values.some((item) => !(PROMPTS as readonly string[]).includes(item))) {
    throw new AuthorizationRedirectError('invalid_request', 'The prompt value is not supported');
  }
  if (values.includes('none') && values.length > 1) {
    throw new AuthorizationRedirectError('invalid_request', 'prompt=none cannot be combined with other values');
  }
  return values as PromptValue[];
}
