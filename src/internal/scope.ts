/**
 * Scope strings per RFC 6749 section 3.3: space-delimited, case-sensitive tokens of
 * `%x21 / %x23-5B / %x5D-7E` characters.
 */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** True when `value` is a single RFC 6749 scope token. */
export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/**
 * Splits a `scope` parameter into its distinct tokens, in order.
 * Returns `undefined` when any token breaks the RFC 6749 grammar.
 */
export function parseScope(value: string): string[] | undefined {
  const tokens = value.split(' ').filter((token) => token.length > 0);
  if (!tokens.every(isScopeToken)) return undefined;
  return [...new Set(tokens)];
}

/** Joins scope tokens into the space-delimited wire form. */
export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}
