import { AuthnestInitial1763900000000 } from './1763900000000-authnest-initial.js';
import { AuthnestBrowserFlows1763990000000 } from './1763990000000-authnest-browser-flows.js';
import { AuthnestOpenIdConnect1764000000000 } from './1764000000000-authnest-openid-connect.js';
import { AuthnestClientStore1764100000000 } from './1764100000000-authnest-client-store.js';
import { AuthnestClientAssertions1764200000000 } from './1764200000000-authnest-client-assertions.js';
import { AuthnestDeviceAuthorization1764300000000 } from './1764300000000-authnest-device-authorization.js';
import { AuthnestClientRegistration1764400000000 } from './1764400000000-authnest-client-registration.js';
import { AuthnestDpop1764500000000 } from './1764500000000-authnest-dpop.js';
import { AuthnestPushedAuthorizationRequests1764600000000 } from './1764600000000-authnest-pushed-authorization-requests.js';
import { AuthnestResourceIndicators1764700000000 } from './1764700000000-authnest-resource-indicators.js';
import { AuthnestDeviceResources1764700000001 } from './1764700000001-authnest-device-resources.js';
import { AuthnestTokenExchange1764800000000 } from './1764800000000-authnest-token-exchange.js';
import { AuthnestSigningKeyRotation1764900000000 } from './1764900000000-authnest-signing-key-rotation.js';
import { AuthnestAccessTokenIds1765000000000 } from './1765000000000-authnest-access-token-ids.js';
import { AuthnestAuditEvents1765200000000 } from './1765200000000-authnest-audit-events.js';

/** authnest's migrations, in order; add them to a host-owned DataSource's `migrations`. */
export const authnestMigrations = [AuthnestInitial1763900000000, AuthnestBrowserFlows1763990000000, AuthnestOpenIdConnect1764000000000, AuthnestClientStore1764100000000, AuthnestClientAssertions1764200000000, AuthnestDeviceAuthorization1764300000000, AuthnestClientRegistration1764400000000, AuthnestDpop1764500000000, AuthnestPushedAuthorizationRequests1764600000000, AuthnestResourceIndicators1764700000000, AuthnestDeviceResources1764700000001, AuthnestTokenExchange1764800000000, AuthnestSigningKeyRotation1764900000000, AuthnestAccessTokenIds1765000000000, AuthnestAuditEvents1765200000000];
