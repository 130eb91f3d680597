import type { Provider } from '@nestjs/common';
import { OwnerGrantsStore } from '../persistence/stores/owner-grants.store.js';
import { AuthAdminService } from './auth-admin.service.js';
import { ClientAdmin } from './client-admin.service.js';
import { GrantAdmin } from './grant-admin.service.js';
import { KeyAdmin } from './key-admin.service.js';

/** The admin service and its parts, provided by `AuthModule` (which exports `AuthAdminService`). */
export const adminProviders: Provider[] = [OwnerGrantsStore, ClientAdmin, KeyAdmin, GrantAdmin, AuthAdminService];
