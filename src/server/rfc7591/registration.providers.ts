import type { Provider, Type } from '@nestjs/common';
import { ClientRegistrationStore } from '../../persistence/stores/client-registration.store.js';
import { ClientRegistrationController } from './client-registration.controller.js';
import { ClientRegistrationEndpoint } from './client-registration.service.js';
import { RegistrationAccess } from './registration-access.service.js';

/** Controllers of dynamic client registration (RFC 7591) and management (RFC 7592). */
export const registrationControllers: Type[] = [ClientRegistrationController];

/** Providers of dynamic client registration: the store of registered clients, token checks and the endpoint steps. */
export const registrationProviders: Provider[] = [ClientRegistrationStore, RegistrationAccess, ClientRegistrationEndpoint];
