import { Validations, type PolicyValidationPluginReport, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A finding we accept, on which resources, and why. */
export interface NagAcknowledgement {
  /** Rule id, or its start: `AwsSolutions-IAM4`, `AwsSolutions-IAM5[Resource::*]`. */
  readonly rule: string;
  /** Construct paths it applies to (matched against the full path). */
  readonly path: RegExp;
  /** The reason, written into the validation report and the template metadata. */
  readonly reason: string;
}

const PROVIDERS =
  /(ClusterResourceProvider|KubectlProvider|KubectlHandlerRole|Cluster\/Role|CreationRole|@aws-cdk--aws-eks)/;

/**
 * AwsSolutions findings that an EKS platform built on aws-cdk-lib cannot avoid, each with the
 * resources it covers and the reason it is accepted. Anything not listed stays an error.
 */
export const EKS_PLATFORM_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [
  {
    rule: 'AwsSolutions-IAM4',
    path: PROVIDERS,
    reason:
      'aws-cdk-lib aws-eks-v2 custom-resource providers and the cluster role use the AWS managed policies ' +
      'EKS and Lambda document (AmazonEKSClusterPolicy and the Auto Mode compute, block storage, load balancing and ' +
      'networking policies, AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole); they are not configurable ' +
      'and AWS keeps them current as EKS changes',
  },
  {
    rule: 'AwsSolutions-IAM5',
    path: PROVIDERS,
    reason:
      'aws-cdk-lib aws-eks-v2 providers invoke their own Lambda versions (<fn>.Arn:*): scoped to the provider',
  },
  {
    rule: 'AwsSolutions-IAM4',
    path: /\/Compute\/NodeRole\/|\/Cluster\/ClusternodePoolRole\//,
    reason:
      'EKS Auto Mode node roles need AmazonEKSWorkerNodeMinimalPolicy (or AmazonEKSWorkerNodePolicy, which aws-eks-v2 ' +
      'gives the built-in pools) and ECR pull (https://docs.aws.amazon.com/eks/latest/userguide/auto-create-node-role.html)',
  },
  {
    rule: 'AwsSolutions-IAM5',
    path: /\/LoadBalancerController\/ServiceAccount\/Role\//,
    reason:
      'the AWS-published IAM policy of the AWS Load Balancer Controller (pinned to the controller version): it creates ' +
      'load balancers, target groups and security groups whose ARNs do not exist before, conditioned on its cluster tag',
  },
  {
    rule: 'AwsSolutions-IAM4',
    path: /\/Observability\/AgentRole\//,
    reason:
      'the CloudWatch agents of the amazon-cloudwatch-observability add-on use CloudWatchAgentServerPolicy, the policy ' +
      'the add-on documents (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/install-CloudWatch-Observability-EKS-addon.html); ' +
      'AWS keeps it current as the agent gains metrics',
  },
  {
    rule: 'AwsSolutions-EKS1',
    path: /\/Cluster\/Resource\/Resource\/Default$|\/Cluster\/Resource\//,
    reason:
      'the public API endpoint is open only to the CIDRs in the environment config (EndpointAccess.onlyFrom), ' +
      'with private access on; environments without CIDRs get a private-only endpoint',
  },
  {
    rule: 'AwsSolutions-SF1',
    path: PROVIDERS,
    reason:
      "the state machine is aws-cdk-lib's provider-framework waiter: its logging is not configurable",
  },
  {
    rule: 'AwsSolutions-SF2',
    path: PROVIDERS,
    reason:
      "the state machine is aws-cdk-lib's provider-framework waiter: X-Ray tracing is not configurable",
  },
  {
    rule: 'AwsSolutions-L1',
    path: PROVIDERS,
    reason:
      "the runtime of aws-cdk-lib's provider Lambda functions is chosen by aws-cdk-lib and moves with it",
  },
];

/** One acknowledgement applied: which finding, on which construct, why. */
export interface AppliedAcknowledgement {
  readonly rule: string;
  readonly constructPath: string;
  readonly reason: string;
}

/**
 * Acknowledges (CDK `Validations.of(c).acknowledge`) each finding of `report` that a listed
 * acknowledgement covers, on the very construct it was found on, and returns what it did.
 * Findings nobody listed are left alone, so they still fail validation.
 */
export function acknowledgeFindings(
  stack: Stack,
  report: PolicyValidationPluginReport,
  acknowledgements: readonly NagAcknowledgement[] = EKS_PLATFORM_ACKNOWLEDGEMENTS,
): AppliedAcknowledgement[] {
  const byPath = new Map<string, IConstruct>(stack.node.findAll().map((c) => [c.node.path, c]));
  const applied: AppliedAcknowledgement[] = [];
  for (const violation of report.violations) {
    for (const resource of violation.violatingResources) {
      const path = resource.constructPath;
      if (!path) continue;
      const match = acknowledgements.find(
        (a) => violation.ruleName.startsWith(a.rule) && a.path.test(path),
      );
      const construct = byPath.get(path);
      if (!match || !construct) continue;
      Validations.of(construct).acknowledge({ id: violation.ruleName, reason: match.reason });
      applied.push({ rule: violation.ruleName, constructPath: path, reason: match.reason });
    }
  }
  return applied;
}
