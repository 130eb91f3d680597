import { describe, expect, it } from 'vitest';
import {
  codeVerifierMatches,
  isCodeChallenge,
  isCodeChallengeMethod,
  isCodeVerifier,
  s256CodeChallenge,
  supportedCodeChallengeMethods,
} from './pkce.js';

/** RFC 7636 Appendix B. */
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE (RFC 7636)', () => {
  it('computes the S256 challenge of the RFC 7636 Appendix B example', () => {
    expect(s256CodeChallenge(VERIFIER)).toBe(CHALLENGE);
  });

  it.each([
    ['43 unreserved characters', 'a'.repeat(43), true],
    ['128 characters', 'A-._~'.repeat(25) + 'abc', true],
    ['42 characters', 'a'.repeat(42), false],
    ['129 characters', 'a'.repeat(129), false],
    ['a plus sign', `${'a'.repeat(42)}+`, false],
    ['a slash', `${'a'.repeat(42)}/`, false],
    ['padding', `${'a'.repeat(42)}=`, false],
    ['a space', `${'a'.repeat(42)} `, false],
    ['a non-ASCII letter', `${'a'.repeat(42)}é`, false],
  ])('accepts only valid syntax: %s', (_name, value, valid) => {
    expect(isCodeVerifier(value)).toBe(valid);
    expect(isCodeChallenge(value)).toBe(valid);
  });

  it('knows exactly the S256 and plain methods, and offers plain only when allowed', () => {
    expect(['S256', 'plain', 's256', 'PLAIN', 'S512', ''].filter(isCodeChallengeMethod)).toEqual(['S256', 'plain']);
    expect(supportedCodeChallengeMethods(false)).toEqual(['S256']);
    expect(supportedCodeChallengeMethods(true)).toEqual(['S256', 'plain']);
  });

  it('matches S256 only with the right verifier', () => {
    expect(codeVerifierMatches(VERIFIER, CHALLENGE, 'S256', false)).toBe(true);
    expect(codeVerifierMatches(`${VERIFIER.slice(0, -1)}l`, CHALLENGE, 'S256', false)).toBe(false);
    expect(codeVerifierMatches(CHALLENGE, CHALLENGE, 'S256', false)).toBe(false);
  });

  it('matches plain only when plain is allowed, and never an unknown method', () => {
    expect(codeVerifierMatches(VERIFIER, VERIFIER, 'plain', true)).toBe(true);
    expect(codeVerifierMatches(VERIFIER, VERIFIER, null, true)).toBe(true);
    expect(codeVerifierMatches(VERIFIER, VERIFIER, 'plain', false)).toBe(false);
    expect(codeVerifierMatches(VERIFIER, VERIFIER, 'S512', true)).toBe(false);
  });
});
