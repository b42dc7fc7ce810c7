import type { Assembly, CheckOptions, StackTemplate } from './types.ts';

/** The environment of a stack: `options.environmentOf`, by default its account. */
export const environmentOf = (stack: StackTemplate, options: CheckOptions) =>
  options.environmentOf?.(stack) ?? stack.account ?? 'unknown-account';

/** The stacks of the same environment as `stack` (itself included). */
export const sameEnvironment = (assembly: Assembly, stack: StackTemplate, options: CheckOptions) =>
  assembly.stacks.filter((s) => environmentOf(s, options) === environmentOf(stack, options));
