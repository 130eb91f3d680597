import type { ResponseCheck } from './load-spec.js';

function json(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function tokenResponse(body: string): string | undefined {
  const parsed = json(body);
  const token = parsed?.access_token;
  if (typeof token !== 'string' || typeof parsed?.token_type !== 'string' || parsed.token_type.toLowerCase() !== 'bearer') return undefined;
  return token;
}

/** Whether a 2xx body is what the scenario must answer: a token of the right format, an active introspection, the route's body. */
export function responseIsCorrect(check: ResponseCheck, body: string): boolean {
  switch (check) {
    case 'token-opaque': {
      const token = tokenResponse(body);
      return token !== undefined && token.length >= 20 && !token.includes('.');
    }
    case 'token-jwt':
      return tokenResponse(body)?.split('.').length === 3;
    case 'introspection-active':
      return json(body)?.active === true;
    case 'hello':
      return json(body)?.hello === 'world';
  }
}
