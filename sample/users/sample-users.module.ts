import { Global, Module } from '@nestjs/common';
import { ACCOUNT_SERVICE } from 'authnest';
import { SampleAccountService } from './sample-account.service.js';

/** Provides the sample's AccountService under authnest's ACCOUNT_SERVICE token, app-wide. */
@Global()
@Module({
  providers: [SampleAccountService, { provide: ACCOUNT_SERVICE, useExisting: SampleAccountService }],
  exports: [ACCOUNT_SERVICE, SampleAccountService],
})
export class SampleUsersModule {}
