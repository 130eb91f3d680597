import type { PageCookie, PageResponse } from '../../interaction/http/page-response.js';
import { escapeHtml, renderPage } from '../../interaction/pages/html.js';

export interface ConfirmLogoutModel {
  /** The client that asked, when known. */
  clientName?: string;
  action: string;
  /** The signed logout ticket. */
  ticket: string;
  /** Where the browser goes after logout, for the page's `form-action`. */
  redirectUri?: string;
}

/** Asks the user whether to sign out (RP-Initiated Logout 1.0 section 3: no silent logout without a matching hint). */
export function confirmLogoutPage(model: ConfirmLogoutModel): PageResponse {
  const who = model.clientName ? `<p><strong>${escapeHtml(model.clientName)}</strong> asks to sign you out.</p>` : '<p>An application asks to sign you out.</p>';
  return renderPage({
    status: 200,
    title: 'Sign out',
    formTargets: model.redirectUri ? [model.redirectUri] : [],
    body:
      `<h1>Sign out?</h1>${who}<p>You will be signed out of this server and of the applications you signed in to through it.</p>` +
      `<form method="post" action="${escapeHtml(model.action)}">` +
      `<input type="hidden" name="ticket" value="${escapeHtml(model.ticket)}">` +
      '<button type="submit" name="decision" value="logout">Sign out</button>' +
      '<button type="submit" name="decision" value="stay">Stay signed in</button></form>',
  });
}

/** After a logout (or when there was no session) without a redirect back to an application. */
export function signedOutPage(cookies: PageCookie[] = []): PageResponse {
  return renderPage({
    status: 200,
    title: 'Signed out',
    cookies,
    body: '<h1>You are signed out</h1><p class="muted">You can close this window.</p>',
  });
}

/** The user chose to stay signed in. */
export function stillSignedInPage(): PageResponse {
  return renderPage({
    status: 200,
    title: 'Still signed in',
    body: '<h1>You are still signed in</h1><p class="muted">Return to the application you came from.</p>',
  });
}
