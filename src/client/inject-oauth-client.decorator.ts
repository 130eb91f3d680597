import { Inject } from '@nestjs/common';

/** The DI token of one provider's `OAuthClient`. */
export function oauthClientToken(name: string): string {
  return `authnest:oauth-client:${name}`;
}

/** Injects the `OAuthClient` of the provider `name`: `constructor(@InjectOAuthClient('reporting') client: OAuthClient)`. */
export const InjectOAuthClient = (name: string): ParameterDecorator & PropertyDecorator => Inject(oauthClientToken(name));
