import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isPlainForm, MAX_FORM_BYTES, parseForm, readForm, type BodyStream } from './form-body.js';

/** A request body that arrives in the given chunks (then `end`), or breaks off. */
function body(chunks: Buffer[], ending: 'end' | 'aborted' = 'end'): BodyStream {
  const stream = Object.assign(new EventEmitter(), { resumed: false, resume: () => ((stream.resumed = true), stream) });
  setImmediate(() => {
    for (const chunk of chunks) stream.emit('data', chunk);
    stream.emit(ending);
  });
  return stream as BodyStream;
}

describe('isPlainForm', () => {
  it.each([
    ['application/x-www-form-urlencoded', undefined, true],
    ['Application/X-WWW-Form-Urlencoded', undefined, true],
    ['application/x-www-form-urlencoded; charset=utf-8', undefined, true],
    ['application/x-www-form-urlencoded;charset="UTF-8"', undefined, true],
    ['application/x-www-form-urlencoded', 'identity', true],
    ['application/x-www-form-urlencoded; charset=iso-8859-1', undefined, false],
    ['application/x-www-form-urlencoded; boundary=x', undefined, false],
    ['application/x-www-form-urlencoded', 'gzip', false],
    ['application/json', undefined, false],
    ['multipart/form-data; boundary=x', undefined, false],
    [undefined, undefined, false],
  ])('%s (content-encoding %s): %s', (type, encoding, expected) => {
    expect(isPlainForm({ 'content-type': type, 'content-encoding': encoding })).toBe(expected);
  });
});

describe('parseForm', () => {
  it('decodes + and percent-encoding, keeps names as sent, gathers repeated names', () => {
    expect({ ...parseForm('a=1+2&b=%C3%A9&c[d]=x&a=3&e&=f&&') }).toEqual({ a: ['1 2', '3'], b: 'é', 'c[d]': 'x', e: '', '': 'f' });
  });

  it('keeps a sequence that does not decode as sent', () => {
    expect({ ...parseForm('scope=%E0%A4%A&x=%zz') }).toEqual({ scope: '%E0%A4%A', x: '%zz' });
  });

  it('gives a record without a prototype (a field named __proto__ is a field)', () => {
    const fields = parseForm('__proto__=x&constructor=y');
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect(fields.__proto__).toBe('x');
  });
});

describe('readForm', () => {
  it('reads a body sent in several chunks', async () => {
    expect(await readForm(body([Buffer.from('grant_type=client_'), Buffer.from('credentials&scope=%C3'), Buffer.from('%A9')]))).toEqual({
      kind: 'form',
      fields: Object.assign(Object.create(null), { grant_type: 'client_credentials', scope: 'é' }),
    });
  });

  it('stops keeping a body over the limit, and drains it', async () => {
    const stream = body([Buffer.alloc(MAX_FORM_BYTES, 'a'), Buffer.from('b')]);
    expect(await readForm(stream)).toEqual({ kind: 'too-large' });
    expect((stream as unknown as { resumed: boolean }).resumed).toBe(true);
  });

  it('accepts a body of exactly the limit', async () => {
    expect((await readForm(body([Buffer.alloc(MAX_FORM_BYTES, 'a')]))).kind).toBe('form');
  });

  it('tells a body that broke off', async () => {
    expect(await readForm(body([Buffer.from('a=1')], 'aborted'))).toEqual({ kind: 'broken' });
  });
});
