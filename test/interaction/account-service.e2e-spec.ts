import { describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/index.js';
import { request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp } from '../support/test-app.js';
import { SPA } from '../support/flow-app.js';

/** The AccountService port is the host's: without it, a client that may use the browser flow stops the boot. */
describe.each(testMatrix())('AccountService at boot on %s/%s', (platform, db) => {
  it('refuses to boot when a client has the authorization_code grant and no AccountService is provided', async () => {
    const boot = bootTestApp({ platform, db, options: { scopes: ['profile', 'email', 'posts:read'], clients: [SPA] } });
    const error = await boot.then(
      async (t) => {
        await t.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthConfigError);
    expect((error as AuthConfigError).problems).toEqual([expect.stringMatching(/^clients\[0\]\.grantTypes: 'authorization_code' needs an AccountService/)]);
  });

  it('boots without an AccountService when no client uses the browser flow', async () => {
    const t = await bootTestApp({ platform, db, options: { clients: [{ clientId: 'svc', clientSecret: 'svc-secret-123' }] } });
    try {
      expect((await request(`${t.url}/oauth/authorize?client_id=svc`)).status).toBe(400);
    } finally {
      await t.close();
    }
  });
});
