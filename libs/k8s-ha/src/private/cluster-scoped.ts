import type { Construct, IConstruct } from 'constructs';

/**
 * Refuses a second construct of the same kind and name in one construct tree (one cdk8s App, or
 * the CDK app that holds it): a cluster-scoped object (a Namespace, a PriorityClass) written twice
 * makes two manifests for one object, and whichever is applied last silently wins.
 */
export function refuseDuplicate(
  self: Construct,
  kind: string,
  name: string,
  isSame: (other: IConstruct) => boolean,
  fix: string,
): void {
  const other = self.node.root.node.findAll().find((c) => c !== self && isSame(c));
  if (other) {
    throw new Error(
      `${kind} '${name}' is already created by ${other.node.path}, and again by ${self.node.path}: ${fix}`,
    );
  }
}
