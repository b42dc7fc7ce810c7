/**
 * Where a service is in its life. Readiness is up only in `ready`; liveness is up in every state,
 * so a pod that drains correctly is never killed by its liveness probe.
 *
 * - `starting`: initialising, or listening while startup tasks run;
 * - `ready`: serving and advertised to load balancers;
 * - `draining`: a shutdown signal arrived; still serving, readiness down, waiting for the load
 *   balancer to stop routing here;
 * - `closing`: not accepting connections; finishing in-flight requests;
 * - `closed`: the application has closed;
 * - `failed`: a startup task failed; the service will not become ready.
 */
export type LifecycleState = 'starting' | 'ready' | 'draining' | 'closing' | 'closed' | 'failed';
