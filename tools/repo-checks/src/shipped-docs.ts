/**
 * Paths inside this repository (`apps/…`, `tools/…`, `docs/…`, `libs/…`) written in text that is
 * shipped to npm: a user reading the README on npmjs.com or a declaration in their editor cannot
 * follow them. A path inside a URL (after a `/`, as in a GitHub link) is fine.
 */
export function repoInternalPaths(text: string): string[] {
  return [...text.matchAll(/(?<![\w/.:@-])(?:apps|tools|docs|libs)\/[\w./#-]+/g)].map((m) => m[0]);
}
