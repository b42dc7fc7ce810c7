import { beforeAll, describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeliveryStack } from './delivery-stack.js';
import { ENVIRONMENTS } from './environments/index.js';

describe('DeliveryStack (GitHub OIDC, deploy role, ECR)', () => {
  let app: App;
  let stack: DeliveryStack;
  let template: Template;
  beforeAll(() => {
    app = new App();
    stack = new DeliveryStack(app, 'stayup-delivery-live', { environment: ENVIRONMENTS.live });
    template = Template.fromStack(stack);
  });

  it('creates the GitHub OIDC provider for sts.amazonaws.com', () => {
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it("lets only this repository's live-environment jobs assume the deploy role", () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'stayup-github-deploy-live',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub':
                  'repo:stayup-dev/stayup:environment:live',
              },
            },
          }),
        ],
      },
    });
  });

  it('lets the role assume only the CDK bootstrap roles of its regions, describe its clusters and push the API image', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    for (const region of ['eu-west-1', 'eu-central-1']) {
      for (const kind of ['deploy', 'file-publishing', 'image-publishing', 'lookup']) {
        expect(policies).toContain(
          `arn:aws:iam::333333333333:role/cdk-hnb659fds-${kind}-role-333333333333-${region}`,
        );
      }
      expect(policies).toContain(`arn:aws:eks:${region}:333333333333:cluster/stayup-live`);
    }
    expect(policies).toContain('ecr:PutImage');
    expect(policies).not.toMatch(/"Action":"\*"|"iam:\*"|AdministratorAccess/);
  });

  it('keeps images in a scanned, immutable, KMS-encrypted repository', () => {
    template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'stayup-api',
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS' },
    });
  });

  it('passes cdk-nag AwsSolutions with one acknowledged finding (GetAuthorizationToken)', () => {
    expect(new AwsSolutionsChecks(app).validateScope(stack).violations).toEqual([]);
  });

  it('can reuse an existing OIDC provider', () => {
    const reuse = new DeliveryStack(new App(), 'x', {
      environment: ENVIRONMENTS.dev,
      existingOidcProviderArn:
        'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
    });
    Template.fromStack(reuse).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  it('refuses a repository that is not owner/name', () => {
    expect(
      () =>
        new DeliveryStack(new App(), 'y', { environment: ENVIRONMENTS.dev, repository: 'stayup' }),
    ).toThrow(`'repository' (stayup) must be 'owner/name' of the GitHub repository`);
  });
});
