import { beforeAll, describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trustAllows, type TokenClaims } from './delivery-policy-audit.js';
import { deploySubject, DeliveryStack, OIDC_SUBJECT_CLAIMS } from './delivery-stack.js';
import { ENVIRONMENTS } from './environments/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized JSON */

const REPO = 'stayup-dev/stayup';
/** The claims GitHub puts in a job's token: https://docs.github.com/en/actions/reference/security/oidc */
function token(over: Partial<Record<string, string>> = {}): TokenClaims {
  const c = {
    aud: 'sts.amazonaws.com',
    environment: 'live',
    ref: 'refs/heads/main',
    job_workflow_ref: `${REPO}/.github/workflows/deploy.yml@refs/heads/main`,
    ...over,
  } as Record<string, string>;
  // the subject as the repository's customization (OIDC_SUBJECT_CLAIMS) builds it
  const sub = [
    `repo:${REPO}`,
    `environment:${c.environment}`,
    `ref:${c.ref}`,
    `job_workflow_ref:${c.job_workflow_ref}`,
  ].join(':');
  return { sub, ...c };
}

// The trust policy before issue 12: `environment:<env>` is claimed by a job of any workflow on any
// branch that names the environment (GitHub "Configuring OpenID Connect in Amazon Web Services":
// https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws).
const OLD_TRUST = {
  Statement: [
    {
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': `repo:${REPO}:environment:live`,
        },
      },
    },
  ],
};
const oldSub = (c: TokenClaims) => ({ ...c, sub: `repo:${REPO}:environment:${c.environment}` });

describe('DeliveryStack (GitHub OIDC, deploy role, ECR, execution policy)', () => {
  let app: App;
  let stack: DeliveryStack;
  let template: Template;
  let trust: any;
  let rolePolicy: string;
  beforeAll(() => {
    app = new App();
    stack = new DeliveryStack(app, 'stayup-delivery-live', { environment: ENVIRONMENTS.live });
    template = Template.fromStack(stack);
    const [role] = Object.values<any>(template.findResources('AWS::IAM::Role'));
    trust = role.Properties.AssumeRolePolicyDocument;
    rolePolicy = JSON.stringify(template.findResources('AWS::IAM::Policy'));
  });

  it('creates the GitHub OIDC provider for sts.amazonaws.com', () => {
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('trusts one subject: deploy.yml on main in the environment (customised sub with job_workflow_ref)', () => {
    expect(OIDC_SUBJECT_CLAIMS).toEqual(['repo', 'context', 'ref', 'job_workflow_ref']);
    expect(deploySubject(REPO, 'live')).toBe(
      'repo:stayup-dev/stayup:environment:live:ref:refs/heads/main' +
        ':job_workflow_ref:stayup-dev/stayup/.github/workflows/deploy.yml@refs/heads/main',
    );
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': deploySubject(REPO, 'live'),
      },
    });
  });

  // Finding 1: a branch that names the environment in any workflow got the role. The same
  // evaluation, on the trust policy as it was, lets those tokens in (the negative control).
  it.each([
    [
      'a branch',
      {
        ref: 'refs/heads/evil',
        job_workflow_ref: `${REPO}/.github/workflows/deploy.yml@refs/heads/evil`,
      },
    ],
    [
      'another workflow file on main',
      { job_workflow_ref: `${REPO}/.github/workflows/ci.yml@refs/heads/main` },
    ],
    ['a branch calling main’s deploy.yml', { ref: 'refs/heads/evil' }],
    [
      'a pull request',
      {
        ref: 'refs/pull/1/merge',
        job_workflow_ref: `${REPO}/.github/workflows/deploy.yml@refs/pull/1/merge`,
      },
    ],
    ['another environment', { environment: 'dev' }],
    ['another audience', { aud: 'https://github.com/stayup-dev' }],
  ])('refuses %s (the old trust policy let branches and other workflows in)', (what, over) => {
    expect(trustAllows(trust, token(over))).toBe(false);
    if (what !== 'another environment' && what !== 'another audience') {
      expect(trustAllows(OLD_TRUST, oldSub(token(over)))).toBe(true);
    }
  });

  // The subject only has this shape once the repository's template says so, and the environments
  // admit main only: tools/scripts/configure-github.sh sets both (GitHub REST: actions/oidc,
  // deployments/environments, deployments/branch-policies).
  it('configure-github.sh sets the subject claims the trust policy expects and main-only environments', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
    const calls = execFileSync('bash', [join(root, 'tools/scripts/configure-github.sh')], {
      env: { ...process.env, DRY_RUN: '1', GH_REPO: REPO },
      encoding: 'utf8',
    });
    expect(calls).toContain(`"include_claim_keys": ${JSON.stringify(OIDC_SUBJECT_CLAIMS)}`);
    for (const env of ['dev', 'staging', 'live', 'npm']) {
      expect(calls).toContain(`gh api -X PUT repos/${REPO}/environments/${env} --input -`);
      expect(calls).toMatch(
        new RegExp(
          `environments/${env}/deployment-branch-policies --input -\\n\\s+\\{"name": "main", "type": "branch"\\}`,
        ),
      );
    }
    expect(calls).toContain('"custom_branch_policies": true');
  });

  it('admits deploy.yml on main in the live environment', () => {
    expect(trustAllows(trust, token())).toBe(true);
  });

  // GitHub "Security hardening for GitHub Actions" (least privilege) and aws/aws-cdk#27097: the
  // deploy role reaches the CDK deploy and file-publishing roles only (no lookup role: the
  // assembly is synthesized by CI without credentials), and the ECR actions a re-run needs.
  it('reaches only the deploy and file-publishing bootstrap roles of its regions and its repository, never the cluster', () => {
    for (const region of ['eu-west-1', 'eu-central-1']) {
      for (const kind of ['deploy', 'file-publishing']) {
        expect(rolePolicy).toContain(
          `arn:aws:iam::333333333333:role/cdk-hnb659fds-${kind}-role-333333333333-${region}`,
        );
      }
      for (const kind of ['lookup', 'image-publishing', 'cfn-exec']) {
        expect(rolePolicy).not.toContain(`cdk-hnb659fds-${kind}-role`);
      }
    }
    // issue 11 item 5: CI never talks to the Kubernetes API (the in-VPC kubectl handler deploys)
    expect(rolePolicy).not.toContain('eks:');
    expect(rolePolicy).not.toMatch(/"Action":"\*"|"iam:\*"|AdministratorAccess/);
  });

  // Finding 6: the "does the image exist" step needs ecr:DescribeImages on the repository.
  it('may push, pull and describe images in the API repository (a re-run skips an existing image)', () => {
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const onRepository = statements
      .filter((s) => JSON.stringify(s.Resource).includes('ApiRepository'))
      .flatMap((s) => [s.Action].flat());
    for (const action of ['ecr:DescribeImages', 'ecr:PutImage', 'ecr:BatchGetImage']) {
      expect(onRepository).toContain(action);
    }
  });

  it('keeps images in a scanned, immutable, KMS-encrypted repository', () => {
    template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'stayup-api',
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS' },
    });
  });

  it("replicates the API repository to live's other region, in the same account (one configuration per registry)", () => {
    // AWS::ECR::ReplicationConfiguration is the registry's single replication setting
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-replicationconfiguration.html);
    // ECR creates the destination repository on the first replicated push
    // (https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html).
    template.resourceCountIs('AWS::ECR::ReplicationConfiguration', 1);
    template.hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [
          {
            Destinations: [{ Region: 'eu-central-1', RegistryId: '333333333333' }],
            RepositoryFilters: [{ Filter: 'stayup-api', FilterType: 'PREFIX_MATCH' }],
          },
        ],
      },
    });
    // a single-region environment replicates nothing
    Template.fromStack(
      new DeliveryStack(new App(), 'single', { environment: ENVIRONMENTS.staging }),
    ).resourceCountIs('AWS::ECR::ReplicationConfiguration', 0);
  });

  it('creates the execution policy and the workload boundary, named as the README bootstrap command uses them', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'stayup-cdk-execution-live',
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'stayup-workload-boundary-live',
    });
  });

  it('is deployed with the credentials of the person running cdk deploy, not the bootstrap roles', () => {
    const rules = JSON.stringify(app.synth().getStackByName(stack.stackName).manifest);
    expect(rules).not.toContain('cdk-hnb659fds-deploy-role');
    expect(rules).not.toContain('cdk-hnb659fds-cfn-exec-role');
  });

  it('passes cdk-nag AwsSolutions with acknowledged, reasoned findings only', () => {
    expect(new AwsSolutionsChecks(app).validateScope(stack).violations).toEqual([]);
  });

  it('can reuse an existing OIDC provider', () => {
    const reuse = new DeliveryStack(new App(), 'x', {
      environment: ENVIRONMENTS.dev,
      existingOidcProviderArn:
        'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
    });
    Template.fromStack(reuse).resourceCountIs('AWS::IAM::OIDCProvider', 0);
    // the trust policy federates to that ARN: one of another account fails every deploy
    expect(
      () =>
        new DeliveryStack(new App(), 'z', {
          environment: ENVIRONMENTS.dev,
          existingOidcProviderArn:
            'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com',
        }),
    ).toThrow(
      `'existingOidcProviderArn' (arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com) must be this account's GitHub OIDC provider, 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com', which must exist (IAM > Identity providers); leave it unset to create one`,
    );
  });

  it('refuses a repository that is not owner/name', () => {
    expect(
      () =>
        new DeliveryStack(new App(), 'y', { environment: ENVIRONMENTS.dev, repository: 'stayup' }),
    ).toThrow(`'repository' (stayup) must be 'owner/name' of the GitHub repository`);
  });
});
