import { loadAssembly } from './assembly.ts';
import { RULES } from './rules/index.ts';
import type { Assembly, CheckOptions, Finding } from './types.ts';

/**
 * Runs every rule on a cloud assembly: a `cdk.out` directory, or an {@link Assembly} already
 * loaded. Findings are sorted by stack, logical id and rule; those matching `options.ignore` are
 * left out.
 */
export function checkAssembly(
  dirOrAssembly: string | Assembly,
  options: CheckOptions = {},
): Finding[] {
  const assembly = typeof dirOrAssembly === 'string' ? loadAssembly(dirOrAssembly) : dirOrAssembly;
  const ignored = (f: Finding) =>
    (options.ignore ?? []).some(
      (i) =>
        i.rule === f.rule &&
        (i.stack === undefined || i.stack === f.stack) &&
        (i.logicalId === undefined || i.logicalId === f.logicalId),
    );
  return RULES.flatMap((rule) => rule.check(assembly, options))
    .filter((f) => !ignored(f))
    .sort(
      (a, b) =>
        a.stack.localeCompare(b.stack) ||
        a.logicalId.localeCompare(b.logicalId) ||
        a.rule.localeCompare(b.rule),
    );
}
