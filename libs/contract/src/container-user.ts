/**
 * UID and GID the service's container runs as (the image's `USER`, the pod's `runAsUser`,
 * `runAsGroup` and `fsGroup`): not root, and above the range an image's own users take.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export const RUN_AS_UID = 10001;
