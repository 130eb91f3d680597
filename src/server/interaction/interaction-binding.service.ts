import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { interactionCookieName, interactionCookiePath, isSecureIssuer } from './browser-cookies.js';
import { CookieSigner } from './cookie-signer.service.js';
import type { BrowserRequest } from './http/browser-request.js';
import { cookieValues } from './http/cookie-header.js';
import type { PageCookie } from './http/page-response.js';

/**
 * Binds an interaction to the browser that started it: the authorization endpoint sets a signed cookie
 * naming the interaction, and every interaction page and form requires it. A link to someone else's
 * interaction (login CSRF, session swapping) is refused in the victim's browser.
 */
@Injectable()
export class InteractionBinding {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly signer: CookieSigner,
  ) {}

  cookie(id: string): PageCookie {
    const { issuer, interaction } = this.options;
    return {
      name: interactionCookieName(issuer),
      value: this.signer.sign('interaction', id),
      options: {
        path: interactionCookiePath(issuer, id, interaction.mode),
        httpOnly: true,
        sameSite: 'lax',
        secure: isSecureIssuer(issuer),
        maxAge: interaction.ttl,
      },
    };
  }

  /** True when the request carries a valid binding cookie for this interaction. */
  matches(request: BrowserRequest, id: string): boolean {
    return cookieValues(request, interactionCookieName(this.options.issuer)).some((value) => this.signer.verify('interaction', value) === id);
  }
}
