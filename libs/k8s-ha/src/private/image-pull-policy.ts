import type { ImageReference } from '../container-image.js';
import {
  DEFAULT_IMAGE_PULL_POLICY,
  DEFAULT_PINNED_IMAGE_PULL_POLICY,
  type ImagePullPolicy,
} from '../ha-deployment-defaults.js';

/** kube-score's annotation that skips its named checks for an object (zegl/kube-score README). */
const KUBE_SCORE_IGNORE = 'kube-score/ignore';

/** The pull policy given, else the one the image's pinning allows; refuses an unknown value. */
export function resolvePullPolicy(
  image: ImageReference,
  given: ImagePullPolicy | undefined,
  immutableTags: boolean | undefined,
): ImagePullPolicy {
  const policy =
    given ??
    (image.digest !== undefined || immutableTags === true
      ? DEFAULT_PINNED_IMAGE_PULL_POLICY
      : DEFAULT_IMAGE_PULL_POLICY);
  if (!['Always', 'IfNotPresent', 'Never'].includes(policy)) {
    throw new Error(
      `'imagePullPolicy' (${String(policy)}) must be 'Always', 'IfNotPresent' or 'Never': ` +
        `IfNotPresent for a digest or an immutable tag, Never for an image loaded into the nodes (kind load)`,
    );
  }
  return policy;
}

/**
 * Marks a pull policy other than `Always` as chosen, on the Deployment: kube-score wants `Always`
 * so that imagePullSecrets are re-checked for every pod; a digest or an immutable tag cannot name
 * other code, and an image loaded into the nodes has no registry to pull from.
 */
export function withPullPolicyException(
  annotations: Record<string, string> | undefined,
  policy: ImagePullPolicy,
): Record<string, string> | undefined {
  if (policy === 'Always') return annotations;
  return { ...annotations, [KUBE_SCORE_IGNORE]: 'container-image-pull-policy' };
}
