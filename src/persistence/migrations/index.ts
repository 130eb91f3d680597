import { AuthnestInitial1763900000000 } from './1763900000000-authnest-initial.js';
import { AuthnestBrowserFlows1763990000000 } from './1763990000000-authnest-browser-flows.js';
import { AuthnestOpenIdConnect1764000000000 } from './1764000000000-authnest-openid-connect.js';
import { AuthnestClientStore1764100000000 } from './1764100000000-authnest-client-store.js';
import { AuthnestClientAssertions1764200000000 } from './1764200000000-authnest-client-assertions.js';
import { AuthnestDeviceAuthorization1764300000000 } from './1764300000000-authnest-device-authorization.js';
import { AuthnestClientRegistration1764400000000 } from './1764400000000-authnest-client-registration.js';

/** authnest's migrations, in order; add them to a host-owned DataSource's `migrations`. */
export const authnestMigrations = [AuthnestInitial1763900000000, AuthnestBrowserFlows1763990000000, AuthnestOpenIdConnect1764000000000, AuthnestClientStore1764100000000, AuthnestClientAssertions1764200000000, AuthnestDeviceAuthorization1764300000000, AuthnestClientRegistration1764400000000];
