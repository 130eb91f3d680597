import net from 'node:net';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthConfigError, AuthModule, AuthResourceModule } from '../../src/index.js';
import { AuthTestingModule, findModuleImport, findModuleImports } from '../../src/testing/index.js';
import { listenTestingModule } from '../support/test-app.js';
import { ApiAppModule, HostAppModule, PostsModule } from './support/host-app.js';
import { recordConnections } from './support/outbound.js';

/** When AuthTestingModule refuses to boot, and how the module to replace is found. */
describe.each(['express', 'fastify'] as const)('AuthTestingModule boot rules (%s)', (platform) => {
  const environment = process.env.NODE_ENV;
  afterEach(() => {
    if (environment === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = environment;
  });

  /** Compiles and starts a module; resolves what was thrown, or undefined when it booted. */
  async function bootError(module: ReturnType<typeof AuthTestingModule.forRoot>): Promise<unknown> {
    try {
      const t = await listenTestingModule(await Test.createTestingModule({ imports: [module] }).compile(), platform);
      await t.close();
      return undefined;
    } catch (error) {
      return error;
    }
  }

  it('refuses to boot under NODE_ENV=production with an AuthConfigError, before opening anything', async () => {
    process.env.NODE_ENV = 'production';
    for (const module of [AuthTestingModule.forRoot(), AuthTestingModule.forResourceServer()]) {
      const error = await bootError(module);
      expect(error).toBeInstanceOf(AuthConfigError);
      expect((error as AuthConfigError).message).toContain('AuthTestingModule');
      expect((error as AuthConfigError).problems[0]).toMatch(/^NODE_ENV: .*must never run in production/);
    }
  });

  it('boots outside production, and stops on a bad option naming it', async () => {
    process.env.NODE_ENV = 'test';
    expect(await bootError(AuthTestingModule.forRoot())).toBeUndefined();
    const error = await bootError(AuthTestingModule.forRoot({ expiresIn: 0, tokenFormat: 'paseto' as 'jwt' }));
    expect(error).toBeInstanceOf(AuthConfigError);
    expect((error as AuthConfigError).problems).toEqual(['tokenFormat: must be one of jwt, opaque', 'expiresIn: must be a positive whole number of seconds']);
  });
});

describe('findModuleImport', () => {
  it('finds the very import object of a module, through nested and forwardRef imports', () => {
    const [auth] = findModuleImports(HostAppModule, AuthModule);
    expect(findModuleImport(HostAppModule, AuthModule)).toBe(auth);
    expect(typeof auth === 'object' && auth.module).toBe(AuthModule);
    @Module({ imports: [{ forwardRef: () => ApiAppModule }] })
    class Outer {}
    expect(findModuleImport(Outer, AuthResourceModule)).toBe(findModuleImport(ApiAppModule, AuthResourceModule));
  });

  it('says when the module is imported nowhere or more than once', () => {
    expect(() => findModuleImport(PostsModule, AuthModule)).toThrow('authnest/testing: PostsModule does not import AuthModule');
    @Module({ imports: [HostAppModule, AuthModule.forRoot({ issuer: 'https://b.example.com' })] })
    class Twice {}
    expect(() => findModuleImport(Twice, AuthModule)).toThrow(/imports AuthModule 2 times/);
    expect(findModuleImports(Twice, AuthModule)).toHaveLength(2);
  });
});

describe('the connection recorder the no-network tests rely on', () => {
  it('sees a connection leaving the machine, made by fetch or by net', async () => {
    const connections = recordConnections();
    try {
      net.connect({ host: '192.0.2.1', port: 9 }).on('error', () => undefined).destroy();
      await fetch('http://192.0.2.2/', { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
      expect(connections.nonLocal().map((target) => target.host)).toEqual(['192.0.2.1', '192.0.2.2']);
    } finally {
      connections.restore();
    }
  });
});
