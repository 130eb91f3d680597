import { Injectable } from '@nestjs/common';

/**
 * The one time source of the server. Override the `Clock` provider in tests to move time.
 */
@Injectable()
export class Clock {
  /** Milliseconds since the epoch. */
  now(): number {
    return Date.now();
  }

  /** Whole seconds since the epoch (JWT `iat`/`exp` unit). */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}
