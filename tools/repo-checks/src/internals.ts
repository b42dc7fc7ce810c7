import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The document that lists every place the code reaches into another project's internals. */
export const INTERNALS_DOC = 'docs/internals.md';

/** One row of the document's table of checked versions. */
export interface CheckedVersion {
  /** An npm package name, or `node` for the runtime. */
  readonly package: string;
  /** The version(s) the section was last verified against, as the table says. */
  readonly checked: string;
  /** The versions the guard accepts: `~x.y.z`, `^x.y.z`, comparators, `||`. */
  readonly range: string;
  /** The anchor of the section of docs/internals.md that depends on it. */
  readonly section: string;
}

/** A version of a package as installed here, and where it was read. */
export interface InstalledVersion {
  readonly version: string;
  readonly where: string;
}

const TABLE_START = '<!-- checked-versions -->';
const TABLE_END = '<!-- /checked-versions -->';

/**
 * Reads the table between `<!-- checked-versions -->` and `<!-- /checked-versions -->`: columns
 * package | checked | range | section, where section is a link (`[name](#anchor)`) or an anchor.
 * `\|` in a cell stands for `|` (a range such as `>=20.19 <21 \|\| >=24.11 <25`).
 */
export function parseCheckedVersions(markdown: string): CheckedVersion[] {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`${INTERNALS_DOC}: no table between ${TABLE_START} and ${TABLE_END}`);
  }
  const rows = markdown
    .slice(start + TABLE_START.length, end)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|'));
  const [header, separator, ...body] = rows.map((row) =>
    row
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim().replace(/\\\|/g, '|').replace(/`/g, '')),
  );
  if (header?.join(',') !== 'package,checked,range,section' || !separator) {
    throw new Error(
      `${INTERNALS_DOC}: the table's columns must be package | checked | range | section`,
    );
  }
  return body.map(([pkg, checked, range, section]) => ({
    package: pkg,
    checked,
    range,
    section: /\(#([^)]+)\)/.exec(section)?.[1] ?? section.replace(/^#/, ''),
  }));
}

/** The anchors of a markdown document's headings, as GitHub makes them. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    anchors.add(
      heading[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return anchors;
}

type Triple = [number, number, number];

function parseVersion(text: string): { triple: Triple; prerelease: boolean } | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(
    text.trim(),
  );
  if (!m) return undefined;
  return { triple: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], prerelease: !!m[4] };
}

function compare(a: Triple, b: Triple): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** `~1.2.3`, `^1.2.3`, `>=1.2`, `<2`, `1.2.3`… as a predicate on a version triple. */
function comparator(text: string): (v: Triple) => boolean {
  const m = /^(~|\^|>=|<=|>|<|=)?\s*(.+)$/.exec(text);
  const parsed = m && parseVersion(m[2]);
  if (!m || !parsed) throw new Error(`cannot read the version range "${text}"`);
  const base = parsed.triple;
  const [major, minor] = base;
  switch (m[1]) {
    case '~':
      return (v) => compare(v, base) >= 0 && compare(v, [major, minor + 1, 0]) < 0;
    case '^': {
      const ceiling: Triple = major > 0 ? [major + 1, 0, 0] : [0, minor + 1, 0];
      return (v) => compare(v, base) >= 0 && compare(v, ceiling) < 0;
    }
    case '>=':
      return (v) => compare(v, base) >= 0;
    case '<=':
      return (v) => compare(v, base) <= 0;
    case '>':
      return (v) => compare(v, base) > 0;
    case '<':
      return (v) => compare(v, base) < 0;
    default:
      return (v) => compare(v, base) === 0;
  }
}

/**
 * Whether `version` is in `range` (npm's syntax, the subset the table uses: `~`, `^`,
 * comparators joined by spaces, alternatives joined by `||`). A pre-release is never in range:
 * nothing was checked against one.
 */
export function satisfies(version: string, range: string): boolean {
  const parsed = parseVersion(version);
  if (!parsed) throw new Error(`cannot read the version "${version}"`);
  if (parsed.prerelease) return false;
  return range.split('||').some((alternative) => {
    const parts = alternative.trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) throw new Error(`empty alternative in the version range "${range}"`);
    return parts.every((part) => comparator(part)(parsed.triple));
  });
}

/**
 * What is installed of `pkg`, resolved from the workspace root: `node_modules/<pkg>/package.json`;
 * for `node`, the Node that runs these checks (developers', CI's) and the image's
 * (`ARG NODE_VERSION` of apps/api/Dockerfile).
 */
export function installedVersions(pkg: string, root: string): InstalledVersion[] {
  if (pkg === 'node') {
    const dockerfile = readFileSync(join(root, 'apps/api/Dockerfile'), 'utf8');
    const image = /^ARG\s+NODE_VERSION=(\S+)/m.exec(dockerfile)?.[1];
    if (!image) throw new Error('apps/api/Dockerfile: no ARG NODE_VERSION=<version>');
    return [
      { version: process.versions.node, where: 'the Node running these checks' },
      { version: image, where: 'apps/api/Dockerfile, ARG NODE_VERSION' },
    ];
  }
  const manifest = join('node_modules', pkg, 'package.json');
  if (!existsSync(join(root, manifest))) {
    throw new Error(
      `${pkg} is listed in ${INTERNALS_DOC} but not installed (${manifest}): ` +
        `if nothing uses it any more, remove its row and its section`,
    );
  }
  const { version } = JSON.parse(readFileSync(join(root, manifest), 'utf8')) as {
    version: string;
  };
  return [{ version, where: manifest }];
}

/** The message for an installed version outside its row's range, or undefined when it is in. */
export function versionProblem(
  row: CheckedVersion,
  installed: InstalledVersion,
): string | undefined {
  if (satisfies(installed.version, row.range)) return undefined;
  const section = `${INTERNALS_DOC}#${row.section}`;
  return (
    `${row.package} ${installed.version} (${installed.where}) is outside ${row.range}, the range ` +
    `${section} was checked against (last: ${row.checked}). Re-verify ${section}: follow its ` +
    `"Re-verify" steps against ${row.package} ${installed.version}, then set this row's checked ` +
    `version and range in ${INTERNALS_DOC} in the same commit as the upgrade.`
  );
}

/** Every `docs/internals.md#<anchor>` written in `text`, with its line number. */
export function internalsPointers(text: string): Array<{ anchor: string; line: number }> {
  const found: Array<{ anchor: string; line: number }> = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/docs\/internals\.md#([A-Za-z0-9_-]+)/g)) {
      found.push({ anchor: m[1], line: i + 1 });
    }
  });
  return found;
}
