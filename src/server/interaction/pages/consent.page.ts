import type { PageResponse } from '../http/page-response.js';
import { escapeHtml, renderPage } from './html.js';

export interface ConsentPageModel {
  clientName: string;
  scopes: readonly string[];
  /** Claims asked for one by one (OpenID Connect `claims` parameter). */
  claims?: readonly string[];
  action: string;
  csrfToken: string;
  redirectUri: string;
}

/** The builtin consent page: the client, every requested scope, and Approve / Deny as one form. */
export function consentPage(model: ConsentPageModel): PageResponse {
  const scopes =
    model.scopes.length > 0
      ? `<p>It asks for:</p><ul>${model.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('')}</ul>`
      : '<p>It asks for no specific permission, only to know that you signed in.</p>';
  const claims =
    model.claims && model.claims.length > 0
      ? `<p>and these details about you:</p><ul>${model.claims.map((claim) => `<li><code>${escapeHtml(claim)}</code></li>`).join('')}</ul>`
      : '';
  return renderPage({
    status: 200,
    title: 'Authorize access',
    formTargets: [model.redirectUri],
    body:
      `<h1>Authorize <strong>${escapeHtml(model.clientName)}</strong></h1>` +
      `<p><strong>${escapeHtml(model.clientName)}</strong> wants to access your account.</p>${scopes}${claims}` +
      `<form method="post" action="${escapeHtml(model.action)}">` +
      `<input type="hidden" name="csrf" value="${escapeHtml(model.csrfToken)}">` +
      '<button type="submit" name="decision" value="approve">Approve</button>' +
      '<button type="submit" name="decision" value="deny">Deny</button></form>',
  });
}
