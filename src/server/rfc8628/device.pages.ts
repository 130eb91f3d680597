import type { PageCookie, PageResponse } from '../interaction/http/page-response.js';
import { escapeHtml, renderPage } from '../interaction/pages/html.js';

export interface UserCodePageModel {
  /** Public path the form posts to. */
  action: string;
  csrfToken: string;
  /** A code to prefill (from `verification_uri_complete`), already normalised and formatted. */
  userCode?: string;
  /** One message after a failed entry (fixed text). */
  error?: string;
  status?: number;
  /** Where the browser may be sent after the POST (a custom `loginUrl` on another origin), for `form-action`. */
  formTargets?: readonly string[];
  headers?: Record<string, string>;
  cookies?: PageCookie[];
}

/**
 * The verification page (RFC 8628 section 3.3): one field for the code shown on the device. A prefilled code
 * (`verification_uri_complete`, section 3.3.1) is never submitted by itself: the user confirms that it matches the
 * device, which keeps a link sent by someone else from connecting their device (section 5.4).
 */
export function userCodePage(model: UserCodePageModel): PageResponse {
  const error = model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : '';
  const intro = model.userCode
    ? '<p>Check that this code matches the one shown on your device. Continue only if you started the sign-in on that device yourself.</p>'
    : '<p>Enter the code shown on your device.</p>';
  return renderPage({
    status: model.status ?? 200,
    title: 'Connect a device',
    formTargets: model.formTargets,
    headers: model.headers,
    cookies: model.cookies,
    body:
      `<h1>Connect a device</h1>${intro}${error}` +
      `<form method="post" action="${escapeHtml(model.action)}">` +
      `<input type="hidden" name="csrf" value="${escapeHtml(model.csrfToken)}">` +
      '<label for="user_code">Code</label>' +
      `<input id="user_code" name="user_code"${model.userCode ? ` value="${escapeHtml(model.userCode)}"` : ''} placeholder="XXXX-XXXX" maxlength="64" autocomplete="off" autocapitalize="characters" spellcheck="false" required autofocus>` +
      '<button type="submit">Continue</button></form>',
  });
}

/** The end of a device authorization in the browser: approved (back to the device) or denied. */
export function deviceResultPage(result: 'approved' | 'denied'): PageResponse {
  const [title, text] =
    result === 'approved'
      ? ['Device connected', 'You may now return to your device: it will continue by itself. You can close this window.']
      : ['Access denied', 'The device was not given access to your account. You can close this window.'];
  return renderPage({ status: 200, title, body: `<h1>${title}</h1><p>${text}</p>` });
}
