/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML documents */
import { kindRule, type PolicyRule } from './rule.js';

/**
 * Rules of our own, for failures the three tools do not look for, each found in review:
 *
 * - `stayup/networkpolicy-empty-peers`: an ingress rule with `from: []` (or an egress rule with
 *   `to: []`) matches every source (destination): "If this field is empty or missing, this rule
 *   matches all sources" (NetworkPolicyIngressRule, and the same for `to` in
 *   NetworkPolicyEgressRule: https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/).
 *   An empty list is how one easy input (`loadBalancerCidrs: []`) opened a port to everyone, so an
 *   explicit `[]` is flagged; a rule that omits the field says "everyone" on purpose.
 */
export const STAYUP_RULES: readonly PolicyRule[] = [
  kindRule(
    'stayup/networkpolicy-empty-peers',
    'no ingress rule with from: [] and no egress rule with to: [] (they admit everyone)',
    'NetworkPolicy',
    (o) => {
      const empty = (rules: any[] | undefined, field: 'from' | 'to') =>
        (rules ?? []).flatMap((r: any, i: number) =>
          Array.isArray(r?.[field]) && r[field].length === 0
            ? [`${field === 'from' ? 'ingress' : 'egress'}[${i}].${field} is []`]
            : [],
        );
      const found = [...empty(o.spec?.ingress, 'from'), ...empty(o.spec?.egress, 'to')];
      return found.length > 0
        ? `${found.join(', ')}: an empty peer list admits every peer; list the peers, or omit the field to allow all on purpose`
        : undefined;
    },
  ),
];
