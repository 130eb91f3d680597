import type { PageResponse } from '../interaction/http/page-response.js';
import { escapeHtml, renderPage } from '../interaction/pages/html.js';

/** Submits the form once the page has loaded; the visible button does the same without JavaScript. */
const AUTO_SUBMIT = 'document.forms[0].submit();';

/**
 * The form_post response mode (OAuth 2.0 Form Post Response Mode): a page whose form POSTs the response
 * parameters to the redirect URI. Every value is escaped; CSP allows the form to target the client's origin
 * and the one inline script by its hash.
 */
export function formPostPage(action: string, params: Readonly<Record<string, string>>): PageResponse {
  const inputs = Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return renderPage({
    status: 200,
    title: 'Returning to the application',
    formTargets: [action],
    script: AUTO_SUBMIT,
    body:
      '<h1>Returning to the application</h1>' +
      `<form method="post" action="${escapeHtml(action)}">${inputs}` +
      '<p class="muted">If nothing happens, press Continue.</p><button type="submit">Continue</button></form>',
  });
}
