import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { constantTimeEqual } from '../../internal/constant-time.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import { ClientStore } from '../../persistence/stores/client.store.js';
import { readFormParameters, type FormParameters } from '../rfc6749/token-request.js';
import { issuerOrigin } from './browser-cookies.js';
import { crossSiteRejection, type BrowserRequest } from './http/browser-request.js';
import type { PageResponse } from './http/page-response.js';
import { InteractionBinding } from './interaction-binding.service.js';
import { InteractionRecords, type PendingInteraction } from './interaction-records.service.js';
import { enabledClient, InteractionError, lookupError } from './interaction.service.js';
import { errorPage } from './pages/error.page.js';

export type GateResult =
  | { open: true; interaction: PendingInteraction; client: ClientEntity; form: FormParameters }
  | { open: false; page: PageResponse };

const FORBIDDEN = 'This form was not submitted from this sign-in page.';

/** The error page for an `InteractionError`. */
export function interactionErrorPage(error: InteractionError): PageResponse {
  return errorPage(400, { message: `${error.message} Start again from the application.` });
}

/**
 * The checks in front of every builtin interaction page and form, cheapest first: cross-site POSTs
 * (`Sec-Fetch-Site: cross-site`, a foreign `Origin`) get 403; then the interaction must exist, be pending and
 * unexpired; the browser must carry its binding cookie (403 otherwise); a form must carry its CSRF token (403).
 */
@Injectable()
export class InteractionGate {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly records: InteractionRecords,
    private readonly clients: ClientStore,
    private readonly binding: InteractionBinding,
  ) {}

  async open(request: BrowserRequest, id: string, kind: 'page' | 'form'): Promise<GateResult> {
    // In custom mode the host owns login (it may require more than a password): the builtin pages do not exist.
    if (this.options.interaction.mode !== 'builtin') return { open: false, page: errorPage(404, { message: 'There is no such page.' }) };
    let form: FormParameters = {};
    if (kind === 'form') {
      if (crossSiteRejection(request, issuerOrigin(this.options.issuer))) return closed(403, FORBIDDEN);
      try {
        form = readFormParameters(request);
      } catch (error) {
        if (error instanceof OAuthError) return closed(400, 'The form could not be read.');
        throw error;
      }
    }
    try {
      const lookup = await this.records.find(id);
      if (!lookup.found) throw lookupError(lookup.reason);
      const { interaction } = lookup;
      if (!this.binding.matches(request, id)) return closed(403, 'This sign-in request was started in another browser or has been tampered with.');
      if (kind === 'form' && !(form.csrf !== undefined && constantTimeEqual(form.csrf, interaction.csrfToken))) return closed(403, FORBIDDEN);
      const client = await enabledClient(this.clients, interaction);
      return { open: true, interaction, client, form };
    } catch (error) {
      if (error instanceof InteractionError) return { open: false, page: interactionErrorPage(error) };
      throw error;
    }
  }
}

function closed(status: number, message: string): GateResult {
  return { open: false, page: errorPage(status, { message: `${message} Start again from the application.` }) };
}
