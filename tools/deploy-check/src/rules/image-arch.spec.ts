import { describe, expect, it } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemblyOf } from '../assembly.ts';
import { fixture, fixtureTemplate } from '../fixtures/index.ts';
import type { CfnResource, Template } from '../types.ts';
import { workflowBuilds } from '../workflow-platforms.ts';
import { amiArch, imageArch, instanceArch } from './image-arch.ts';

// AMI types: https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html (amiType);
// Graviton instance names: https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html;
// Auto Mode's general-purpose pool is amd64 only:
// https://docs.aws.amazon.com/eks/latest/userguide/set-builtin-node-pools.html
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'image-arch');
const workflow = (name: string) => join(fixtures, `${name}.workflow.yml`);
const resources = (t: Template) => t.Resources as Record<string, CfnResource>;

describe('image-arch', () => {
  it('fires when Graviton nodes run an image the workflow builds for linux/amd64 only', () => {
    expect(
      imageArch.check(fixture('image-arch', 'graviton'), { workflows: [workflow('amd64-only')] }),
    ).toEqual([
      {
        rule: 'image-arch',
        stack: 'graviton',
        logicalId: 'Nodes',
        message: expect.stringContaining(
          'Nodegroup Nodes (AmiType AL2023_ARM_64_STANDARD) runs arm64 nodes, but 111111111111.dkr.ecr.eu-west-1.amazonaws.com/api:1.0.0 is built for amd64 only by',
        ),
      },
    ]);
  });

  it('is silent when the workflow builds both platforms', () => {
    expect(
      imageArch.check(fixture('image-arch', 'graviton'), { workflows: [workflow('multi-arch')] }),
    ).toEqual([]);
  });

  it('fires on Auto Mode (general-purpose is amd64) and on a NodePool that allows arm64 too', () => {
    const t = fixtureTemplate('image-arch', 'graviton');
    delete resources(t).Nodes;
    (resources(t).Cluster.Properties as Record<string, unknown>).ComputeConfig = {
      Enabled: true,
      NodePools: ['system', 'general-purpose'],
    };
    const assembly = assemblyOf({
      name: 'auto',
      account: '111111111111',
      region: 'eu-west-1',
      template: t,
    });
    const none = { workflows: [workflow('amd64-only')], builtImage: /^$/ };
    expect(imageArch.check(assembly, none)).toEqual([]); // no image of ours: nothing to check
    const found = imageArch.check(assembly, { workflows: [workflow('amd64-only')] });
    expect(found).toEqual([]); // general-purpose is amd64: the amd64 build fits
    resources(t).Pool = {
      Type: 'Custom::AWSCDK-EKS-KubernetesResource',
      Properties: {
        ClusterName: { Ref: 'Cluster' },
        Manifest: JSON.stringify([
          { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'any' }, spec: {} },
        ]),
      },
    };
    expect(imageArch.check(assembly, { workflows: [workflow('amd64-only')] })).toEqual([
      expect.objectContaining({
        logicalId: 'Pool',
        message: expect.stringContaining('NodePool any runs amd64 and arm64 nodes'),
      }),
    ]);
    const pool = resources(t).Pool.Properties as Record<string, unknown>;
    pool.Manifest = JSON.stringify([
      {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodePool',
        metadata: { name: 'x86' },
        spec: {
          template: {
            spec: {
              requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }],
            },
          },
        },
      },
    ]);
    expect(imageArch.check(assembly, { workflows: [workflow('amd64-only')] })).toEqual([]);
  });

  it('refuses workflows that build no image', () => {
    expect(() =>
      imageArch.check(fixture('image-arch', 'graviton'), {
        workflows: [
          join(fixtures, '..', '..', '..', '..', '..', '.github', 'workflows', 'deploy.yml'),
        ],
      }),
    ).toThrow('build no image');
  });

  it('reads platforms from build-push-action and from docker build commands, defaulting to the runner', () => {
    expect(workflowBuilds(workflow('multi-arch')).map((b) => [b.job, b.architectures])).toEqual([
      ['image', ['amd64', 'arm64']],
      ['cli', ['arm64']],
      ['cli', ['arm64']],
    ]);
  });

  it('tells architectures from AMI types and instance types', () => {
    expect(amiArch('AL2023_ARM_64_STANDARD')).toEqual(['arm64']);
    expect(amiArch('BOTTLEROCKET_x86_64')).toEqual(['amd64']);
    expect(amiArch('CUSTOM')).toBeUndefined();
    expect(
      [
        't4g.large',
        'c7gn.xlarge',
        'g5g.xlarge',
        'a1.large',
        'm5.large',
        'g4dn.xlarge',
        'c6i.large',
      ].map(instanceArch),
    ).toEqual(['arm64', 'arm64', 'arm64', 'arm64', 'amd64', 'amd64', 'amd64']);
  });
});
