import { Controller, Delete, Get, Header, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { InvalidRequestError } from '../../errors/oauth-errors.js';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import type { ProtocolRequest } from '../rfc6749/token-request.js';
import type { ClientInformation } from './client-information.js';
import { ClientRegistrationEndpoint } from './client-registration.service.js';
import { OpenApiExclude, OpenApiOperation, OpenApiTag } from '../../openapi/openapi-decorators.js';
import { DELETE_REGISTRATION_OPERATION, READ_REGISTRATION_OPERATION, REGISTER_OPERATION, UPDATE_REGISTRATION_OPERATION } from '../../openapi/registration.openapi.js';

/**
 * The client registration endpoint (RFC 7591 section 3) and the client configuration endpoint (RFC 7592 section 2).
 * Thin: the steps live in `ClientRegistrationEndpoint`. Every answer carries `Cache-Control: no-store`: it holds
 * credentials.
 */
@Public()
@Controller()
@OpenApiTag('client-registration')
export class ClientRegistrationController {
  constructor(private readonly endpoint: ClientRegistrationEndpoint) {}

  @Post(ENDPOINT_PATHS.registration)
  @OpenApiOperation(REGISTER_OPERATION)
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  register(@Req() request: ProtocolRequest): Promise<ClientInformation> {
    return this.endpoint.register(request);
  }

  @Get(ENDPOINT_PATHS.registration)
  @OpenApiExclude()
  registerByGet(): never {
    throw new InvalidRequestError('The registration endpoint accepts POST only', { status: 405, headers: { Allow: 'POST' } });
  }

  @Get(ENDPOINT_PATHS.registrationClient)
  @OpenApiOperation(READ_REGISTRATION_OPERATION)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  read(@Req() request: ProtocolRequest, @Param('clientId') clientId: string): Promise<ClientInformation> {
    return this.endpoint.read(request, clientId);
  }

  @Put(ENDPOINT_PATHS.registrationClient)
  @OpenApiOperation(UPDATE_REGISTRATION_OPERATION)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  update(@Req() request: ProtocolRequest, @Param('clientId') clientId: string): Promise<ClientInformation> {
    return this.endpoint.update(request, clientId);
  }

  @Delete(ENDPOINT_PATHS.registrationClient)
  @OpenApiOperation(DELETE_REGISTRATION_OPERATION)
  @HttpCode(204)
  @Header('Cache-Control', 'no-store')
  remove(@Req() request: ProtocolRequest, @Param('clientId') clientId: string): Promise<void> {
    return this.endpoint.remove(request, clientId);
  }
}
