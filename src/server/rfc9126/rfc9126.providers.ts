import type { Provider, Type } from '@nestjs/common';
import { PushedRequestStore } from '../../persistence/stores/pushed-request.store.js';
import { PushedAuthorizationEndpoint } from './pushed-authorization-endpoint.service.js';
import { PushedAuthorizationController } from './pushed-authorization.controller.js';
import { PushedRequestResolver } from './pushed-request-resolver.service.js';
import { PushedRequests } from './pushed-requests.service.js';

/** Controllers of pushed authorization requests (RFC 9126): the pushed authorization request endpoint. */
export const pushedAuthorizationControllers: Type[] = [PushedAuthorizationController];

/** Providers of pushed authorization requests: their store, the endpoint steps, and the authorization endpoint's lookup. */
export const pushedAuthorizationProviders: Provider[] = [PushedRequestStore, PushedRequests, PushedAuthorizationEndpoint, PushedRequestResolver];
