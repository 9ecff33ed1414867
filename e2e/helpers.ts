import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const SCREENSHOT_DIR = 'e2e/screenshots';

/** Saves a full-page screenshot under e2e/screenshots/NAME.png for a person to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}

/** Fails the test on any uncaught error in the page or its workers. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export async function expectBackend(page: Page, testId: string, backend: string): Promise<void> {
  await expect(page.getByTestId(testId)).toHaveAttribute('data-backend', backend);
}

/** What the page asked the mocked models/ folder for: one entry per request. */
export interface ModelRequestLog {
  method: string;
  file: string;
}

export interface ServedModelFolder {
  /** The files served now; replace entries to change what the next request gets. */
  files: Record<string, Buffer>;
  requests: ModelRequestLog[];
  /** GET requests for one file (HEAD revalidations are not downloads). */
  downloads(file: string): number;
}

/**
 * Serves `files` for every request under a models/ folder, from the page or its workers, with an
 * ETag per content so cached copies can be revalidated. Missing files get a 404.
 */
export async function serveModelFolder(page: Page, files: Record<string, Buffer>): Promise<ServedModelFolder> {
  const { createHash } = await import('node:crypto');
  const served: ServedModelFolder = {
    files: { ...files },
    requests: [],
    downloads: (file) => served.requests.filter((r) => r.method === 'GET' && r.file === file).length,
  };
  await page.route('**/models/**', async (route) => {
    const request = route.request();
    const file = decodeURIComponent(new URL(request.url()).pathname.split('/').pop() ?? '');
    served.requests.push({ method: request.method(), file });
    const body = served.files[file];
    if (!body) {
      await route.fulfill({ status: 404, contentType: 'text/plain', body: `${file} not found` });
      return;
    }
    const headers = {
      'content-type': file.endsWith('.json')
        ? 'application/json'
        : file.endsWith('.toml')
          ? 'application/toml'
          : 'application/octet-stream',
      etag: `"${createHash('sha1').update(body).digest('hex')}"`,
      'content-length': String(body.length),
      'cache-control': 'no-cache',
    };
    await route.fulfill({ status: 200, headers, body: request.method() === 'HEAD' ? '' : body });
  });
  return served;
}
