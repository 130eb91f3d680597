import { describe, expect, it } from 'vitest';
import { formatScope, isScopeToken, parseScope } from './scope.js';

describe('scope parsing (RFC 6749 section 3.3)', () => {
  it('splits on spaces, keeps order and drops repeats', () => {
    expect(parseScope('read write read')).toEqual(['read', 'write']);
    expect(parseScope('posts:read openid')).toEqual(['posts:read', 'openid']);
  });

  it('treats an empty value as no scope', () => {
    expect(parseScope('')).toEqual([]);
    expect(parseScope(' ')).toEqual([]);
  });

  it('is case-sensitive', () => {
    expect(parseScope('Read read')).toEqual(['Read', 'read']);
  });

  it.each(['read\twrite', 'read\nwrite', 'a"b', 'a\\b', 'caf\u00e9', 'read\u00a0write', 'a\u0000'])('refuses %j', (value) => {
    expect(parseScope(value)).toBeUndefined();
  });

  it('accepts every character of the scope-token grammar and nothing else', () => {
    for (let code = 0; code < 0x80; code += 1) {
      const char = String.fromCharCode(code);
      const allowed = code === 0x21 || (code >= 0x23 && code <= 0x5b) || (code >= 0x5d && code <= 0x7e);
      expect(isScopeToken(char), `0x${code.toString(16)}`).toBe(allowed);
    }
    expect(isScopeToken('')).toBe(false);
  });

  it('formats back to the space-delimited wire form', () => {
    expect(formatScope(['a', 'b:c'])).toBe('a b:c');
    expect(formatScope([])).toBe('');
    expect(parseScope(formatScope(['x', 'y']))).toEqual(['x', 'y']);
  });
});
