/**
 * HTTP path of the readiness probe: the kubelet's readiness probe and the load balancer's health
 * check. Answers 503 from the moment a drain starts.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export const READINESS_PATH = '/ready';

/**
 * HTTP path of the liveness (and start-up) probe. Answers 200 whenever the process can answer,
 * during a drain too, so the kubelet never restarts a pod that is draining correctly.
 */
export const LIVENESS_PATH = '/alive';
