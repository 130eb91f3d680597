import type { Provider } from '@nestjs/common';
import { ExchangedTokenVerifier } from './exchanged-token-verifier.service.js';
import { TokenExchangeGrant } from './token-exchange.grant.js';

/** RFC 8693: the token exchange grant, the checks of its subject and actor tokens. */
export const tokenExchangeProviders: Provider[] = [ExchangedTokenVerifier, TokenExchangeGrant];
