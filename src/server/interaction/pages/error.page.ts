import type { PageResponse } from '../http/page-response.js';
import { escapeHtml, renderPage } from './html.js';

export interface ErrorPageOptions {
  /** Fixed text chosen by authnest (never echoed input); escaped anyway. */
  message: string;
  title?: string;
  headers?: Record<string, string>;
}

/**
 * An error shown to the user instead of a redirect: the client or its redirect URI could not be trusted,
 * or an interaction is unknown, expired, replayed or forged. No link to any URI from the request.
 */
export function errorPage(status: number, { message, title = 'This request cannot be completed', headers }: ErrorPageOptions): PageResponse {
  return renderPage({
    status,
    title,
    headers,
    body:
      `<h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(message)}</p>` +
      '<p class="muted">Return to the application you came from and try again.</p>',
  });
}
