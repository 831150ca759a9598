import type { PathStyle } from '../../src/callsites/callsite.js';

/**
 * The two backend path styles (codex-rs/backend-client/src/client.rs `PathStyle`): a base that
 * contains `/backend-api` uses `/wham/...` paths; otherwise `/api/codex/...` paths.
 */
export const STYLE_BASES: Readonly<Record<PathStyle, string>> = {
  wham: '/backend-api',
  codexApi: '/api/codex',
};

/**
 * `root`: paths that callers append to the base as-is, without a path style (e.g. the chatgpt
 * client's `/wham/tasks/{id}`, core's `/codex/responses`), served at the origin root so an
 * origin-only base works too.
 */
export type StylePaths = { readonly [S in PathStyle | 'root']?: string | readonly string[] };

function list(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/** Absolute paths (without origin) of one resource in both styles. */
export function backendPaths(paths: StylePaths): string[] {
  return [
    ...list(paths.wham).map((p) => `${STYLE_BASES.wham}${p}`),
    ...list(paths.codexApi).map((p) => `${STYLE_BASES.codexApi}${p}`),
    ...list(paths.root),
  ];
}

/** Which style a request path uses, or undefined when it is outside both bases. */
export function styleOfPath(pathname: string): PathStyle | undefined {
  if (pathname.startsWith(`${STYLE_BASES.wham}/`)) return 'wham';
  if (pathname.includes(`${STYLE_BASES.codexApi}/`)) return 'codexApi';
  return undefined;
}
