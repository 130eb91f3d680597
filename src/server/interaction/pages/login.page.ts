import type { PageResponse } from '../http/page-response.js';
import { escapeHtml, renderPage } from './html.js';

export interface LoginPageModel {
  clientName: string;
  /** Public path the form posts to. */
  action: string;
  csrfToken: string;
  /** The client's redirect URI (a successful login may redirect there). */
  redirectUri: string;
  /** OpenID Connect `login_hint`: prefills the username. */
  loginHint?: string;
  /** One generic message after a failed attempt. */
  error?: string;
  status?: number;
}

/** The builtin login page: username and password, POSTed with the interaction's CSRF token. */
export function loginPage(model: LoginPageModel): PageResponse {
  const error = model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : '';
  return renderPage({
    status: model.status ?? 200,
    title: 'Sign in',
    formTargets: [model.redirectUri],
    body:
      `<h1>Sign in</h1><p>to continue to <strong>${escapeHtml(model.clientName)}</strong></p>${error}` +
      `<form method="post" action="${escapeHtml(model.action)}">` +
      `<input type="hidden" name="csrf" value="${escapeHtml(model.csrfToken)}">` +
      '<label for="username">Username</label>' +
      `<input id="username" name="username"${model.loginHint ? ` value="${escapeHtml(model.loginHint)}"` : ''} autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>` +
      '<label for="password">Password</label>' +
      '<input id="password" name="password" type="password" autocomplete="current-password" required>' +
      '<button type="submit">Sign in</button></form>',
  });
}
