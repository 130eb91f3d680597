import { createHash } from 'node:crypto';
import { tryParseUrl } from '../../../internal/url-rules.js';
import { NO_STORE_HEADERS, type PageCookie, type PageResponse } from '../http/page-response.js';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE =
  'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}' +
  'h1{font-size:1.35rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}' +
  'button{margin:1rem .5rem 0 0;padding:.55rem 1.2rem;font-size:1rem;cursor:pointer}.error{color:#a30000;font-weight:600}' +
  'ul{padding-left:1.2rem}code{background:#f1f1f1;padding:0 .25rem}.muted{color:#555;font-size:.9rem}button,input{font:inherit}';

/** CSP source of an inline element by the SHA-256 of its exact content (no 'unsafe-inline'). */
export function inlineHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}

const STYLE_SOURCE = inlineHash(STYLE);

/**
 * The CSP `form-action` source of a redirect URI: its origin (http/https), or its scheme for a private-use
 * URI scheme (RFC 8252). Chrome applies `form-action` to the redirects that follow a form submission too, so
 * every page whose form may end in a redirect to the client lists the client's origin.
 */
export function formActionSource(redirectUri: string): string | undefined {
  const url = tryParseUrl(redirectUri);
  if (!url) return undefined;
  if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? url.protocol : undefined;
}

export interface PageSpec {
  status: number;
  title: string;
  /** The page content: HTML built only from constant markup and `escapeHtml`ed values. */
  body: string;
  /** Redirect URIs forms on this page may end up at (for `form-action`). */
  formTargets?: readonly string[];
  /** Inline scripts (allowed by hash). */
  script?: string;
  headers?: Record<string, string>;
  cookies?: PageCookie[];
}

function contentSecurityPolicy(spec: PageSpec): string {
  const formAction = ["'self'", ...new Set((spec.formTargets ?? []).map(formActionSource).filter((s): s is string => !!s))];
  const directives = [
    "default-src 'none'",
    `style-src ${STYLE_SOURCE}`,
    ...(spec.script ? [`script-src ${inlineHash(spec.script)}`] : []),
    `form-action ${formAction.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ];
  return directives.join('; ');
}

/**
 * A complete page: nothing loaded from elsewhere, no JavaScript needed, and the security headers every
 * authnest page carries (CSP, no framing, no sniffing, no referrer, no caching).
 */
export function renderPage(spec: PageSpec): PageResponse {
  const script = spec.script ? `<script>${spec.script}</script>` : '';
  const body =
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(spec.title)}</title><style>${STYLE}</style></head>` +
    `<body>${spec.body}${script}</body></html>`;
  return {
    status: spec.status,
    headers: {
      ...NO_STORE_HEADERS,
      ...spec.headers,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': contentSecurityPolicy(spec),
      'X-Frame-Options': 'DENY',
    },
    cookies: spec.cookies ?? [],
    body,
  };
}
