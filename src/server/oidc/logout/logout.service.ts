import { Injectable } from '@nestjs/common';
import type { ClientEntity } from '../../../persistence/entities/client.entity.js';
import { ClientStore } from '../../../persistence/stores/client.store.js';
import { SessionClientStore } from '../../../persistence/stores/session-client.store.js';
import { GrantRevocationService } from '../../grants/grant-revocation.service.js';
import type { PageCookie } from '../../interaction/http/page-response.js';
import { SessionService, type ActiveSession } from '../../interaction/session.service.js';
import { BackchannelLogout } from './backchannel-logout.service.js';

/**
 * Ends a login session: the session row goes (its cookie is cleared), every grant made in it without
 * `offline_access` is revoked (refresh and access tokens), and each client that took part in it and registered a
 * back-channel logout URI receives a logout token.
 */
@Injectable()
export class LogoutService {
  constructor(
    private readonly sessions: SessionService,
    private readonly sessionClients: SessionClientStore,
    private readonly clients: ClientStore,
    private readonly revocation: GrantRevocationService,
    private readonly backchannel: BackchannelLogout,
  ) {}

  /** Resolves the cookie that clears the session in the browser. */
  async endSession(session: ActiveSession): Promise<PageCookie> {
    const cookie = await this.sessions.end(session);
    const { sid } = session;
    if (!sid) return cookie;
    await this.revocation.revokeSession(sid);
    const found = await Promise.all((await this.sessionClients.clientIds(sid)).map((id) => this.clients.findById(id)));
    await this.sessionClients.deleteSession(sid);
    await this.backchannel.notify({ accountId: session.accountId, sid }, found.filter((client): client is ClientEntity => client !== null));
    return cookie;
  }
}
