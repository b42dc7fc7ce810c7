/**
 * The `amazon-cloudwatch-observability` add-on version {@link ClusterObservability} installs
 * unless told otherwise: pinned, like every add-on should be, and promoted like code.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/install-CloudWatch-Observability-EKS-addon.html
 */
export const DEFAULT_CLOUDWATCH_ADDON_VERSION = 'v6.6.0-eksbuild.1';
/**
 * The first add-on version whose agents may leave the node's network. Before its chart 6.2.0 the
 * `AmazonCloudWatchAgent` template wrote `hostNetwork: true` for every agent whatever the
 * `agents` entry said (aws-observability/helm-charts@ffea3d4, "Release 6.2.0":
 * charts/amazon-cloudwatch-observability/templates/linux/cloudwatch-agent-custom-resource.yaml
 * goes from `hostNetwork: true` to `hostNetwork: {{ $agent.hostNetwork }}` with
 * `mergeOverwrite`): the Prometheus scraper would then scrape from the node's address, which a
 * NetworkPolicy admitting its namespace cannot match, and every scrape would be dropped.
 */
export const MIN_CLOUDWATCH_ADDON_VERSION = 'v6.2.0-eksbuild.1';

const parse = (version: string) => /^v(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)$/.exec(version);

/** `version` if it is an add-on version from {@link MIN_CLOUDWATCH_ADDON_VERSION} on; else throws. */
export function checkCloudWatchAddonVersion(version: string): string {
  const [given, min] = [parse(version), parse(MIN_CLOUDWATCH_ADDON_VERSION)];
  if (!given || !min) {
    throw new Error(
      `'addonVersion' (${version}) must be an EKS add-on version such as '${DEFAULT_CLOUDWATCH_ADDON_VERSION}' (aws eks describe-addon-versions --addon-name amazon-cloudwatch-observability)`,
    );
  }
  for (let i = 1; i <= 4; i++) {
    const [a, b] = [Number(given[i]), Number(min[i])];
    if (a !== b) {
      if (a > b) return version;
      throw new Error(
        `'addonVersion' (${version}) must be ${MIN_CLOUDWATCH_ADDON_VERSION} or later: older add-ons run every agent on the node's network, so the Prometheus scraper cannot be admitted by a NetworkPolicy and the pods' metrics are never scraped`,
      );
    }
  }
  return version;
}
