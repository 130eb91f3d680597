import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** What the client's callback server received from the browser. */
export interface Received {
  method: string;
  url: string;
  body: string;
}

export interface Callback {
  server: Server;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** The redirect endpoint, `<origin>/cb` (any other path of the server answers the same). */
  url: string;
  received: Received[];
}

/** The client's redirect endpoint: a loopback server that records what the browser delivered. */
export async function startCallback(): Promise<Callback> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('client callback');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin, url: `${origin}/cb`, received };
}

/** CSP violations reported by the page (Chromium logs them to the console). */
export function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/**
 * Every request of a browser context that is not to a 127.0.0.1 URL (the test machine has only loopback, and a
 * page test must not send the browser anywhere else): assert it stays empty.
 */
export function requestsOffLoopback(context: BrowserContext): string[] {
  const off: string[] = [];
  context.on('request', (request) => {
    if (!request.url().startsWith('http://127.0.0.1:')) off.push(request.url());
  });
  return off;
}

/** Where the screenshots go (test-results/ is ignored by git). */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
export const VIEWPORT = { width: 800, height: 600 };

/**
 * What a page loaded besides itself that failed: requests that did not complete and answers of 400 or more
 * (the main document of an error page is meant to be one, so documents are left to the test).
 */
export function failedResources(page: Page): string[] {
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') failed.push(`${response.url()}: ${response.status()}`);
  });
  return failed;
}

/**
 * Smallest box a form control may have: inputs 100x20 CSS px; buttons as wide as their label needs (short
 * labels like "Deny" are about 80 px in the pages' style, so 100 px would fail a well-made button), at least the
 * 24x24 of WCAG 2.2 target size (2.5.8), and never cutting their label.
 */
const MIN_BOX = { input: { width: 100, height: 20 }, button: { width: 24, height: 24 } };

/** The control is visible, at least its kind's minimum box, wholly inside the viewport, and shows all its content. */
export async function expectUsable(control: Locator, kind: keyof typeof MIN_BOX, what: string): Promise<void> {
  expect(await control.isVisible(), `${what} visible`).toBe(true);
  const box = (await control.boundingBox())!;
  expect(box, `${what} has a box`).not.toBeNull();
  const inside = box.x >= 0 && box.y >= 0 && box.x + box.width <= VIEWPORT.width && box.y + box.height <= VIEWPORT.height;
  expect(inside, `${what} inside the viewport: ${JSON.stringify(box)}`).toBe(true);
  expect(box.width, `${what} width`).toBeGreaterThanOrEqual(MIN_BOX[kind].width);
  expect(box.height, `${what} height`).toBeGreaterThanOrEqual(MIN_BOX[kind].height);
  const clipped = await control.evaluate((element) => element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight);
  expect(clipped, `${what} cuts its content`).toBe(false);
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Checks the page on show, then saves its screenshot as `<SCREENSHOTS><prefix>-<name>.png`. */
export type Shoot = (name: string, title: string, heading: string) => Promise<void>;

/**
 * A screenshot taker for a page of a `VIEWPORT` context, created while the page is still blank: each shot checks the
 * title and the visible `h1`, and that the PNG has the viewport's size and is more than twice the blank page's.
 */
export async function screenshotter(page: Page, prefix: string): Promise<Shoot> {
  const blank = (await page.screenshot()).length;
  return async (name, title, heading) => {
    expect(await page.title()).toBe(title);
    const h1 = page.locator('h1');
    expect(await h1.isVisible()).toBe(true);
    expect((await h1.innerText()).trim()).toBe(heading);
    const png = await page.screenshot({ path: `${SCREENSHOTS}${prefix}-${name}.png` });
    expect(pngSize(png)).toEqual(VIEWPORT);
    expect(png.length, `${name}: ${png.length} bytes, blank page ${blank}`).toBeGreaterThan(2 * blank);
  };
}
