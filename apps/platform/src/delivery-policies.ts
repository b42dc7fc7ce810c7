import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The two policies that bound what a deploy can do in an environment's account.
 *
 * `cdk bootstrap` gives the CloudFormation execution role AdministratorAccess unless told
 * otherwise (`--cloudformation-execution-policies`, aws-cdk
 * packages/aws-cdk/lib/api/bootstrap/bootstrap-template.yaml, "CloudFormationExecutionPolicies",
 * and aws/aws-cdk#27097): whoever can reach the CDK deploy role can then do anything through a
 * template. The execution policy below is what the account is bootstrapped with instead: it
 * allows the services the cluster stacks create (`stayup-<env>*` stacks: VPC, EKS, IAM roles for
 * them, Lambda-backed custom resources, KMS, logs) and nothing on the delivery side.
 *
 * IAM is the escalation path, so every role a template creates must carry the workload
 * permissions boundary (IAM "Permissions boundaries for IAM entities",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html): the
 * execution policy allows role writes only on `role/stayup-<env>*` and only with
 * `iam:PermissionsBoundary` equal to that boundary, and the boundary leaves those roles no IAM
 * writes at all (no users, keys, roles, policies) and no way to the delivery and bootstrap roles
 * or to either policy.
 */

/** Name of the managed policy `cdk bootstrap --cloudformation-execution-policies` is given. */
export function executionPolicyName(env: string): string {
  return `stayup-cdk-execution-${env}`;
}

/** Name of the permissions boundary every role of the cluster stacks carries. */
export function workloadBoundaryName(env: string): string {
  return `stayup-workload-boundary-${env}`;
}

/** ARN of a customer managed policy. */
export function policyArn(account: string, name: string): string {
  return `arn:aws:iam::${account}:policy/${name}`;
}

/**
 * AWS managed policies the cluster stacks attach to their roles (EKS cluster and nodes, the VPC
 * CNI, ECR pulls, CloudWatch agent, Lambda basics): nothing else may be attached.
 */
export const ATTACHABLE_MANAGED_POLICIES = [
  'AmazonEKSClusterPolicy',
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonElasticContainerRegistryPublicReadOnly',
  'CloudWatchAgentServerPolicy',
  'service-role/AWSLambdaBasicExecutionRole',
  'service-role/AWSLambdaVPCAccessExecutionRole',
] as const;

/** Service-linked roles the cluster stacks need AWS to create. */
export const SERVICE_LINKED_ROLES = [
  'eks.amazonaws.com',
  'eks-nodegroup.amazonaws.com',
  'eks-fargate.amazonaws.com',
  'elasticloadbalancing.amazonaws.com',
  'autoscaling.amazonaws.com',
  'spot.amazonaws.com',
] as const;

/**
 * What the roles of the cluster stacks use (the EKS cluster and kubectl handlers, nodes, the VPC
 * CNI, the ALB controller and the cluster autoscaler, CloudWatch agent, SSM agent): the boundary
 * allows these services and, in IAM, reads only. Not IAM, STS (but the environment's roles),
 * Organizations, or anything else.
 */
export const WORKLOAD_SERVICES = [
  'acm',
  'autoscaling',
  'cloudwatch',
  'cognito-idp',
  'ec2',
  'ec2messages',
  'ecr',
  'ecr-public',
  'eks',
  'eks-auth',
  'elasticloadbalancing',
  'kms',
  'lambda',
  'logs',
  'shield',
  'ssm',
  'ssmmessages',
  'states',
  'tag',
  'waf-regional',
  'wafv2',
  'xray',
] as const;

/** What the policies are about: one environment in one account. */
export interface DeliveryScope {
  readonly env: string;
  readonly account: string;
  /** The `cdk-<qualifier>-…` bootstrap names. */
  readonly qualifier: string;
  /**
   * The environment's Route 53 hosted zone (`aws.dnsZone.id`): the only zone the cluster stacks
   * write records into (certificate validation, the hosts).
   * @default every hosted zone of the account
   */
  readonly hostedZoneId?: string;
}

/** The roles and policies no deploy may touch: delivery, bootstrap, these two policies. */
function protectedArns({ env, account, qualifier }: DeliveryScope): string[] {
  return [
    `arn:aws:iam::${account}:role/cdk-${qualifier}-*`,
    `arn:aws:iam::${account}:role/stayup-github-deploy-*`,
    policyArn(account, executionPolicyName(env)),
    policyArn(account, workloadBoundaryName(env)),
  ];
}

/** The CloudFormation execution policy of `scope`'s account (see the module comment). */
export function executionPolicyDocument(scope: DeliveryScope): iam.PolicyDocument {
  const { env, account, qualifier } = scope;
  const prefix = `stayup-${env}`;
  const roles = `arn:aws:iam::${account}:role/${prefix}*`;
  const boundary = policyArn(account, workloadBoundaryName(env));
  const withBoundary = { StringEquals: { 'iam:PermissionsBoundary': boundary } };
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'ClusterStacksAndTheirNestedStacks',
        actions: ['cloudformation:*'],
        resources: [`arn:aws:cloudformation:*:${account}:stack/${prefix}*`],
      }),
      new iam.PolicyStatement({
        sid: 'NetworkAndNodes',
        actions: ['ec2:*', 'autoscaling:Describe*', 'elasticloadbalancing:Describe*'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'TheEnvironmentsCluster',
        actions: ['eks:*'],
        resources: [
          `arn:aws:eks:*:${account}:cluster/${prefix}`,
          `arn:aws:eks:*:${account}:*/${prefix}/*`,
        ],
      }),
      new iam.PolicyStatement({
        sid: 'CustomResourceProviders',
        actions: ['lambda:*', 'states:*', 'logs:*'],
        resources: [
          `arn:aws:lambda:*:${account}:function:${prefix}*`,
          `arn:aws:lambda:*:${account}:layer:*`,
          `arn:aws:states:*:${account}:stateMachine:*`,
          `arn:aws:logs:*:${account}:log-group:*`,
        ],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptionKeys',
        actions: ['kms:*'],
        resources: [`arn:aws:kms:*:${account}:key/*`, `arn:aws:kms:*:${account}:alias/*`],
      }),
      new iam.PolicyStatement({
        sid: 'GeneratedParametersBootstrapVersionPublicAmis',
        actions: [
          'ssm:GetParameter',
          'ssm:GetParameters',
          'ssm:PutParameter',
          'ssm:DeleteParameter',
          'ssm:AddTagsToResource',
          'ssm:RemoveTagsFromResource',
          'ssm:ListTagsForResource',
        ],
        resources: [
          `arn:aws:ssm:*:${account}:parameter/CFN-*`,
          `arn:aws:ssm:*:${account}:parameter/cdk-bootstrap/${qualifier}/*`,
          'arn:aws:ssm:*::parameter/aws/service/*',
        ],
      }),
      new iam.PolicyStatement({
        sid: 'NewResourcesWithoutAnArnYet',
        actions: [
          'kms:CreateKey',
          'lambda:CreateEventSourceMapping',
          'logs:DescribeLogGroups',
          'eks:DescribeAddonVersions',
          'eks:DescribeAddonConfiguration',
          'acm:RequestCertificate',
          'route53:CreateHealthCheck',
        ],
        resources: ['*'],
      }),
      // HaDns (@stayup/eks-platform): a DNS-validated certificate, records and health checks
      new iam.PolicyStatement({
        sid: 'CertificatesOfTheHosts',
        actions: [
          'acm:DescribeCertificate',
          'acm:DeleteCertificate',
          'acm:AddTagsToCertificate',
          'acm:RemoveTagsFromCertificate',
          'acm:ListTagsForCertificate',
          'acm:UpdateCertificateOptions',
        ],
        resources: [`arn:aws:acm:*:${account}:certificate/*`],
      }),
      new iam.PolicyStatement({
        sid: 'RecordsInTheEnvironmentsZone',
        actions: [
          'route53:ChangeResourceRecordSets',
          'route53:ListResourceRecordSets',
          'route53:GetHostedZone',
        ],
        resources: [`arn:aws:route53:::hostedzone/${scope.hostedZoneId ?? '*'}`],
      }),
      new iam.PolicyStatement({
        sid: 'HealthChecksAndChanges',
        actions: [
          'route53:GetHealthCheck',
          'route53:UpdateHealthCheck',
          'route53:DeleteHealthCheck',
          'route53:ChangeTagsForResource',
          'route53:ListTagsForResource',
          'route53:GetChange',
        ],
        resources: ['arn:aws:route53:::healthcheck/*', 'arn:aws:route53:::change/*'],
      }),
      // ClusterObservability (@stayup/eks-platform) and the cluster stack: alarms on the API's
      // metrics, notifying a topic. CloudFormation names both after the stack (`stayup-<env>…`).
      new iam.PolicyStatement({
        sid: 'AlarmsOfTheClusterStacks',
        actions: [
          'cloudwatch:PutMetricAlarm',
          'cloudwatch:DeleteAlarms',
          'cloudwatch:DescribeAlarms',
          'cloudwatch:TagResource',
          'cloudwatch:UntagResource',
          'cloudwatch:ListTagsForResource',
        ],
        resources: [`arn:aws:cloudwatch:*:${account}:alarm:${prefix}*`],
      }),
      new iam.PolicyStatement({
        sid: 'AlarmTopicsOfTheClusterStacks',
        actions: [
          'sns:CreateTopic',
          'sns:DeleteTopic',
          'sns:GetTopicAttributes',
          'sns:SetTopicAttributes',
          'sns:TagResource',
          'sns:UntagResource',
          'sns:ListTagsForResource',
          'sns:Subscribe',
          'sns:Unsubscribe',
          'sns:GetSubscriptionAttributes',
          'sns:SetSubscriptionAttributes',
        ],
        resources: [`arn:aws:sns:*:${account}:${prefix}*`],
      }),
      new iam.PolicyStatement({
        sid: 'TemplatesAndCodeFromTheBootstrapBucket',
        actions: ['s3:GetObject', 's3:GetBucketLocation', 's3:ListBucket'],
        resources: [
          `arn:aws:s3:::cdk-${qualifier}-assets-${account}-*`,
          `arn:aws:s3:::cdk-${qualifier}-assets-${account}-*/*`,
        ],
      }),
      new iam.PolicyStatement({
        sid: 'RolesOfTheClusterStacksReadAndDelete',
        actions: [
          'iam:GetRole',
          'iam:GetRolePolicy',
          'iam:ListRolePolicies',
          'iam:ListAttachedRolePolicies',
          'iam:ListRoleTags',
          'iam:TagRole',
          'iam:UntagRole',
          'iam:UpdateRoleDescription',
          'iam:DeleteRole',
          'iam:DeleteRolePolicy',
          'iam:DetachRolePolicy',
          'iam:PassRole',
          // carries no iam:PermissionsBoundary key (IAM's delegated-administration example allows
          // it unconditioned): a role it edits keeps its boundary all the same
          'iam:UpdateAssumeRolePolicy',
        ],
        resources: [roles],
      }),
      new iam.PolicyStatement({
        sid: 'RolesOfTheClusterStacksWriteOnlyWithTheBoundary',
        actions: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:PutRolePermissionsBoundary'],
        resources: [roles],
        conditions: withBoundary,
      }),
      new iam.PolicyStatement({
        sid: 'AttachOnlyTheManagedPoliciesTheClusterNeeds',
        actions: ['iam:AttachRolePolicy'],
        resources: [roles],
        conditions: {
          ...withBoundary,
          ArnEquals: {
            'iam:PolicyARN': ATTACHABLE_MANAGED_POLICIES.map((p) => `arn:aws:iam::aws:policy/${p}`),
          },
        },
      }),
      new iam.PolicyStatement({
        sid: 'ServiceLinkedRoles',
        actions: ['iam:CreateServiceLinkedRole'],
        resources: [`arn:aws:iam::${account}:role/aws-service-role/*`],
        conditions: { StringEquals: { 'iam:AWSServiceName': [...SERVICE_LINKED_ROLES] } },
      }),
      new iam.PolicyStatement({
        sid: 'NeverTheDeliveryOrBootstrapSide',
        effect: iam.Effect.DENY,
        actions: ['iam:*', 'sts:AssumeRole'],
        resources: protectedArns(scope),
      }),
    ],
  });
}

/**
 * The permissions boundary of every role the cluster stacks create: the workloads (custom
 * resource handlers, the ALB and autoscaler controllers, nodes) keep what they need outside IAM;
 * in IAM they may read, pass roles and manage the cluster's OIDC provider, and nothing else (no
 * users, keys, roles or policies), and never reach the delivery and bootstrap side.
 */
export function workloadBoundaryDocument(scope: DeliveryScope): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'TheServicesOfTheClusterAndItsControllers',
        actions: WORKLOAD_SERVICES.map((service) => `${service}:*`),
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'CustomResourceHandlersAssumeTheEnvironmentsRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession', 'sts:GetCallerIdentity'],
        resources: [`arn:aws:iam::${scope.account}:role/stayup-${scope.env}*`],
      }),
      new iam.PolicyStatement({
        sid: 'IamReadAndTheClusterOidcProvider',
        actions: [
          'iam:Get*',
          'iam:List*',
          'iam:CreateOpenIDConnectProvider',
          'iam:DeleteOpenIDConnectProvider',
          'iam:TagOpenIDConnectProvider',
          'iam:UpdateOpenIDConnectProviderThumbprint',
          'iam:AddClientIDToOpenIDConnectProvider',
          'iam:RemoveClientIDFromOpenIDConnectProvider',
          'iam:CreateServiceLinkedRole',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'PassOnlyTheEnvironmentsRoles',
        actions: ['iam:PassRole'],
        resources: [`arn:aws:iam::${scope.account}:role/stayup-${scope.env}*`],
      }),
      new iam.PolicyStatement({
        sid: 'NeverTheDeliveryOrBootstrapSide',
        effect: iam.Effect.DENY,
        actions: ['iam:*', 'sts:AssumeRole'],
        resources: protectedArns(scope),
      }),
    ],
  });
}
