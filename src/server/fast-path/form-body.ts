import type { IncomingHttpHeaders } from 'node:http';

/** The largest form body read (Express's `urlencoded` default); a larger one is answered 413. */
export const MAX_FORM_BYTES = 100 * 1024;

/** What the fast path reads of a request body: Node's `IncomingMessage` (HTTP/1) and `Http2ServerRequest` both fit. */
export interface BodyStream {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'aborted', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  resume(): unknown;
}

/** A body read to its end, or why it was not. */
export type FormBody = { kind: 'form'; fields: Record<string, string | string[]> } | { kind: 'too-large' } | { kind: 'broken' };

/**
 * Whether the fast path can read this body itself the way the platforms' parsers would: `application/x-www-form-urlencoded`,
 * UTF-8 (no `charset`, or `utf-8`), not compressed. Anything else goes to the app, whose parsers answer it.
 */
export function isPlainForm(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (typeof type !== 'string') return false;
  const [media, ...parameters] = type.split(';');
  if (media!.trim().toLowerCase() !== 'application/x-www-form-urlencoded') return false;
  for (const parameter of parameters) {
    const [name, value] = parameter.split('=');
    if (name?.trim().toLowerCase() !== 'charset') return false;
    if (value?.trim().replace(/^"|"$/g, '').toLowerCase() !== 'utf-8') return false;
  }
  const encoding = headers['content-encoding'];
  return encoding === undefined || encoding.trim().toLowerCase() === 'identity';
}

/** `+` is a space, then percent-decoding; a sequence that does not decode to UTF-8 is kept as sent (as qs does). */
function decode(part: string): string {
  const spaced = part.includes('+') ? part.replace(/\+/g, ' ') : part;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/**
 * The fields of a form (`a=1&b=2`), decoded as the platforms' parsers decode them: a name sent more than once gets an
 * array of its values; names are kept as sent (`a[b]` stays `a[b]`, which the protocol code refuses as structured).
 */
export function parseForm(text: string): Record<string, string | string[]> {
  const fields = Object.create(null) as Record<string, string | string[]>;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decode(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : decode(pair.slice(equals + 1));
    const seen = fields[name];
    if (seen === undefined) fields[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else fields[name] = [seen, value];
  }
  return fields;
}

/** Reads a form body of at most `MAX_FORM_BYTES` (a larger one stops being kept, and is drained). */
export function readForm(stream: BodyStream): Promise<FormBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (body: FormBody) => {
      if (done) return;
      done = true;
      resolve(body);
    };
    stream.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        chunks.length = 0;
        finish({ kind: 'too-large' });
        stream.resume();
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      finish({ kind: 'form', fields: parseForm(text) });
    });
    stream.on('aborted', () => finish({ kind: 'broken' }));
    stream.on('error', () => finish({ kind: 'broken' }));
  });
}
