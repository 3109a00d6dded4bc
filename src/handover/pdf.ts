/**
 * The handover package as a PDF, printed by a real browser engine (Chromium through
 * playwright-core). The engine is optional: without it the service runs as before and the PDF
 * route answers 503, so the page (which prints well) still serves.
 */
import { existsSync } from 'node:fs';
import { DomainFailure } from '../domain/errors';

export interface PdfRenderer {
  /** A PDF of a self-contained HTML document; throws a DomainFailure `unavailable` without an engine. */
  render(html: string): Promise<Uint8Array>;
}

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

function unavailable(): DomainFailure {
  return new DomainFailure({
    code: 'unavailable',
    detail: 'no PDF engine is installed on this server (CHROMIUM_PATH); the package page can be printed instead',
    retryAfterSeconds: 3600,
  });
}

/** @param executablePath Chromium's binary; CHROMIUM_PATH or Debian's path when left out. */
export function chromiumPdfRenderer(executablePath: string = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM): PdfRenderer {
  return {
    async render(html) {
      if (!existsSync(executablePath)) throw unavailable();
      // Loaded on first use, so a server without playwright-core still starts.
      const playwright = await import('playwright-core').catch(() => undefined);
      if (playwright === undefined) throw unavailable();
      const browser = await playwright.chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
      try {
        const page = await browser.newPage({ javaScriptEnabled: false });
        // The document is self-contained: nothing of the case leaves the machine while it prints.
        await page.route('**/*', (route) => route.abort());
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' } });
      } finally {
        await browser.close();
      }
    },
  };
}
