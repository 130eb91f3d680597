import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { request } from '../support/http.js';
import type { Platform } from '../support/matrix.js';
import { requestsOffLoopback, SCREENSHOTS } from '../support/page-checks.js';
import { operation, undefinedSchemes, unresolvedRefs } from './openapi-support.js';

// The sample reads its configuration at import: a database and secrets of its own, in a temp directory.
const dir = mkdtempSync(join(tmpdir(), 'authnest-sample-docs-'));
process.env.SAMPLE_DB = join(dir, 'sample.sqlite');
process.env.ISSUER = 'http://127.0.0.1:3000';
process.chdir(dir);

let AppModule: Type;
let setupDocs: (app: INestApplication) => void;

/** Boots the sample as `sample/main.ts` does: docs set up before listening. */
async function bootSample(platform: Platform): Promise<{ app: INestApplication; url: string }> {
  const app = platform === 'fastify' ? await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false }) : await NestFactory.create(AppModule, { logger: false });
  setupDocs(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1') };
}

/** The sample's docs over real HTTP, and Swagger UI in a real headless Chromium (screenshots in test-results/screenshots/). */
describe('the sample serves its OpenAPI document and Swagger UI at /docs', () => {
  let browser: Browser;
  beforeAll(async () => {
    ({ AppModule } = await import('../../sample/app.module.js'));
    ({ setupDocs } = await import('../../sample/docs.js'));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['express', 'fastify'] as const)('on %s: /docs-json is the document, /docs the UI, which renders the token operation', async (platform) => {
    const { app, url } = await bootSample(platform);
    try {
      const json = await request(`${url}/docs-json`);
      expect(json.status).toBe(200);
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      const doc = json.body as unknown as OpenAPIObject;
      expect(doc.info.title).toBe('authnest sample');
      expect(operation(doc, '/oauth/token', 'post').operationId).toBe('requestToken');
      expect(operation(doc, '/oauth/introspect', 'post').responses[200].content['application/json'].examples.inactive.value).toEqual({ active: false });
      expect(operation(doc, '/api/posts', 'get').security).toEqual([{ access_token: [] }]);
      expect(operation(doc, '/api/me', 'get').tags).toEqual(['sample']);
      expect(unresolvedRefs(doc)).toEqual([]);
      expect(undefinedSchemes(doc)).toEqual([]);

      const html = await request(`${url}/docs`);
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
      expect(html.text).toContain('swagger-ui');
      // The app's guard protects its API, not the docs.
      expect((await request(`${url}/api/posts`)).status).toBe(401);

      const context = await browser.newContext();
      const off = requestsOffLoopback(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${url}/docs`);
      const token = page.locator('#operations-oauth2-requestToken');
      await token.waitFor();
      expect(await token.locator('.opblock-summary-path').textContent()).toBe('/oauth/token');
      await token.locator('.opblock-summary').first().click();
      await page.locator('#operations-oauth2-requestToken .opblock-body').waitFor();
      const text = await token.textContent();
      expect(text).toContain('application/x-www-form-urlencoded');
      expect(text).toContain('grant_type');
      expect(text).toContain('unsupported_grant_type');
      await token.screenshot({ path: join(SCREENSHOTS, `openapi-token-operation-${platform}.png`) });
      expect(off).toEqual([]);
      await context.close();
    } finally {
      await app.close();
    }
  });
});
