import type { Finding, K8sObject } from './manifest.js';
import { KUBE_LINTER_RULES } from './rules/kube-linter.js';
import { KUBE_SCORE_RULES } from './rules/kube-score.js';
import { POLARIS_RULES } from './rules/polaris.js';
import { STAYUP_RULES } from './rules/stayup.js';
import type { PolicyRule } from './rules/rule.js';

export type { PolicyRule } from './rules/rule.js';
export { KUBE_LINTER_RULES, KUBE_SCORE_RULES, POLARIS_RULES, STAYUP_RULES };

/**
 * The default-on rules of Polaris, kube-score and kube-linter that concern Namespaces,
 * Deployments, Services, Ingresses, HPAs, PDBs, PriorityClasses and NetworkPolicies, re-implemented
 * here because the tools are Go binaries: not on npm, not in Debian, and release downloads are not
 * reachable from these machines. Each rule keeps its upstream name so a finding can be looked up.
 * One file per tool under rules/ (polaris.ts, kube-score.ts, kube-linter.ts); this is every rule,
 * in a stable order: Polaris, then kube-score, then kube-linter; then rules of our own
 * (rules/stayup.ts) for failures those tools do not look for.
 */
export const POLICY_RULES: readonly PolicyRule[] = [
  ...POLARIS_RULES,
  ...KUBE_SCORE_RULES,
  ...KUBE_LINTER_RULES,
  ...STAYUP_RULES,
];

/** Runs every rule (or those given) and returns the findings. */
export function checkPolicies(
  objects: readonly K8sObject[],
  rules: readonly PolicyRule[] = POLICY_RULES,
): Finding[] {
  return rules.flatMap((rule) => rule.check(objects));
}
