import { htmlEscape } from '../escape.js';
import { PAGE_STYLE } from './page-style.js';

/**
 * The shell of a self-contained page: inline style and script only. Its Content-Security-Policy
 * lets the page load nothing at all (no image, font, frame or fetch), so an evidence URL shown in
 * the page can never be requested by the browser, even by mistake; `connect` opens the one
 * same-origin channel the live view needs (its event stream).
 */
export interface PageParts {
  readonly title: string;
  /** Header line next to the title. */
  readonly subtitle: string;
  /** Trusted HTML (every dynamic value already escaped). */
  readonly body: string;
  /** Inline script source (a constant of this project, never data). */
  readonly script: string;
  /** `'self'` for a page served over HTTP that reads its event stream; absent: nothing. */
  readonly connect?: "'self'";
  /** Page-specific rules appended to the shared stylesheet (a constant, never data). */
  readonly extraStyle?: string;
}

export function contentSecurityPolicy(connect?: "'self'"): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "script-src 'unsafe-inline'",
    `connect-src ${connect ?? "'none'"}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function htmlDocument(parts: PageParts): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${htmlEscape(contentSecurityPolicy(parts.connect))}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${htmlEscape(parts.title)}</title>`,
    `<style>${PAGE_STYLE}${parts.extraStyle ?? ''}</style>`,
    '</head>',
    '<body>',
    `<header class="top"><h1>${htmlEscape(parts.title)}</h1><span class="sub">${htmlEscape(parts.subtitle)}</span></header>`,
    `<main>${parts.body}</main>`,
    `<script>${parts.script}</script>`,
    '</body>',
    '</html>',
  ].join('\n');
}
