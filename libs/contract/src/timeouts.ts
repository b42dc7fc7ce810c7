/**
 * The AWS Application Load Balancer's connection idle timeout, its default, and what the ALB
 * Ingress sets. It must stay below the app's keep-alive timeout.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#connection-idle-timeout
 */
export const ALB_IDLE_TIMEOUT_MS = 60_000;

/**
 * Idle keep-alive timeout of the service's HTTP server: above the ALB's idle timeout, so the ALB
 * always closes an idle connection first and never sends a request on one the app just closed
 * (which it would answer with a 502).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;
