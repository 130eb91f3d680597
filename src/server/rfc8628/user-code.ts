import { createHmac, randomInt } from 'node:crypto';

/**
 * The user-code alphabet of RFC 8628 section 6.1: 20 consonants, no vowels (no words by accident) and none of the
 * letters read as digits or as each other in common fonts. 8 characters carry 8 x log2(20) = 34.5 bits.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

/** Longer input is not a code; it is refused before any work. */
const MAX_INPUT_LENGTH = 64;

/** A new user code of `length` characters, each drawn uniformly (no modulo bias) from the alphabet. */
export function generateUserCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i += 1) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** How the code is shown and typed: groups of four joined by `-` (`WDJB-MJHT`). */
export function formatUserCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/**
 * The code as the user typed it, normalised (RFC 8628 section 6.1): case-insensitive, dashes and white space ignored.
 * Undefined when it cannot be a code of `length` characters of the alphabet.
 */
export function normalizeUserCode(input: string, length: number): string | undefined {
  if (input.length > MAX_INPUT_LENGTH) return undefined;
  const letters = input.replace(/[\s-]+/g, '');
  if (letters.length !== length || !/^[A-Za-z]+$/.test(letters)) return undefined;
  const code = letters.toUpperCase();
  for (const char of code) if (!USER_CODE_ALPHABET.includes(char)) return undefined;
  return code;
}

/**
 * What the database keeps of a user code: HMAC-SHA-256 under a server key (hex). A plain SHA-256 of 34.5 bits would be
 * reversed by trying every code; without the key, a copy of the database reveals no code.
 */
export function userCodeHash(key: Buffer, normalized: string): string {
  return createHmac('sha256', key).update(`user_code:${normalized}`, 'utf8').digest('hex');
}
