import { describe, expect, it } from '@jest/globals';
import { assemblyOf } from '../assembly.ts';
import { fixture, fixtureTemplate } from '../fixtures/index.ts';
import type { CfnResource } from '../types.ts';
import { kubectlAccess } from './kubectl-access.ts';

// Sources: see kubectl-access.ts (aws-eks kubectl handler assumes RoleArn; aws-eks-v2 grants its
// handler role AmazonEKSClusterAdminPolicy and orders resources after it through a barrier).
describe('kubectl-access', () => {
  it('fires when kubectl runs as the creation role of a cluster without bootstrap admin (aws-eks, API mode)', () => {
    expect(kubectlAccess.check(fixture('kubectl-access', 'broken'), {})).toEqual([
      {
        rule: 'kubectl-access',
        stack: 'broken',
        logicalId: 'Manifest',
        message: expect.stringContaining(
          'is applied by kubectl as CreationRole.Arn, which has no AWS::EKS::AccessEntry with AmazonEKSClusterAdminPolicy (scope cluster) on Cluster (it created the cluster, but with authenticationMode API and bootstrapClusterCreatorAdminPermissions false',
        ),
      },
    ]);
  });

  it('is silent on aws-eks-v2: the handler role (behind the Provider framework) has a cluster-admin entry it depends on', () => {
    expect(kubectlAccess.check(fixture('kubectl-access', 'fixed'), {})).toEqual([]);
  });

  it('fires when the entry exists but nothing orders the resource after it', () => {
    const template = fixtureTemplate('kubectl-access', 'fixed');
    const resources = template.Resources as Record<string, CfnResource>;
    resources.Manifest = { ...resources.Manifest, DependsOn: [] };
    const findings = kubectlAccess.check(assemblyOf({ name: 'racy', template }), {});
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining(
        'does not depend on HandlerAccess, the access entry that lets HandlerRole.Arn into Cluster',
      ),
    ]);
  });

  it('accepts the creator when EKS bootstraps it as cluster-admin (the EKS API default)', () => {
    const template = fixtureTemplate('kubectl-access', 'broken');
    const cluster = (template.Resources as Record<string, CfnResource>).Cluster;
    const config = cluster.Properties?.Config as Record<string, unknown>;
    config.accessConfig = { authenticationMode: 'API_AND_CONFIG_MAP' };
    expect(kubectlAccess.check(assemblyOf({ name: 'bootstrap', template }), {})).toEqual([]);
  });

  it('fires when the entry grants only a view policy', () => {
    const template = fixtureTemplate('kubectl-access', 'fixed');
    const entry = (template.Resources as Record<string, CfnResource>).HandlerAccess;
    (entry.Properties as Record<string, unknown>).AccessPolicies = [
      {
        AccessScope: { Type: 'cluster' },
        PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
      },
    ];
    expect(kubectlAccess.check(assemblyOf({ name: 'view', template }), {})).toHaveLength(1);
  });
});
