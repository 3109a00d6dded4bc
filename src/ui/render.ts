/**
 * Pages are Nunjucks templates (templates/ui) built from DKFDS's own component macros (loaded
 * from the dkfds package), rendered on the server, so every page works before any script runs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import * as danish from './danish';

const here = path.dirname(fileURLToPath(import.meta.url));
export const UI_TEMPLATES_DIR = path.resolve(here, '../../templates/ui');
export const UI_ASSETS_DIR = path.resolve(here, 'assets');
/** The dkfds package's root: its entry point is dist/js/dkfds.min.js. */
export const DKFDS_DIR = path.resolve(path.dirname(createRequire(import.meta.url).resolve('dkfds')), '../..');

/** The icons the pages use, cut from DKFDS's sprite so each page does not carry all of them. */
const USED_ICONS = ['info', 'success', 'warning', 'error', 'close', 'lock', 'menu', 'arrow-forward', 'print'];

function iconSprite(): string {
  const source = readFileSync(path.join(DKFDS_DIR, 'src/components/icons/base-svg.njk'), 'utf8');
  const symbols = USED_ICONS.map((id) => new RegExp(`<symbol id="${id}"[\\s\\S]*?</symbol>`).exec(source)?.[0] ?? '').join('');
  return `<div class="hide-base-svg"><svg xmlns="http://www.w3.org/2000/svg">${symbols}</svg></div>`;
}

export type Renderer = (template: string, context: Record<string, unknown>) => string;

export function createRenderer(options: { watch?: boolean } = {}): Renderer {
  const loader = new nunjucks.FileSystemLoader([UI_TEMPLATES_DIR, path.join(DKFDS_DIR, 'src')], {
    noCache: options.watch === true,
  });
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  env.addGlobal('iconSprite', new nunjucks.runtime.SafeString(iconSprite()));
  env.addGlobal('da', danish);
  env.addFilter('danishDate', (value: unknown) => (typeof value === 'string' ? danish.danishDate(value) : '–'));
  env.addFilter('danishNumber', (value: unknown) => (typeof value === 'number' ? danish.danishNumber(value) : '–'));
  env.addFilter('json', (value: unknown) => JSON.stringify(value));
  return (template, context) => env.render(template, context);
}
