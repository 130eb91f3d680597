import type { Provider } from '@nestjs/common';
import { ClientAssertions } from './client-assertions.service.js';
import { ClientKeys } from './client-keys.service.js';
import { JwtBearerGrant } from './jwt-bearer.grant.js';

/** RFC 7523: JWT client assertions (`private_key_jwt`, `client_secret_jwt`), the JWT bearer grant, and the keys they are checked with. */
export const jwtAssertionProviders: Provider[] = [ClientKeys, ClientAssertions, JwtBearerGrant];
