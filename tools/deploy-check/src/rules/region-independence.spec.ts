import { describe, expect, it } from '@jest/globals';
import { assemblyOf } from '../assembly.ts';
import { fixtureTemplate } from '../fixtures/index.ts';
import type { Assembly } from '../types.ts';
import { regionIndependence } from './region-independence.ts';

// ECR registries are regional: https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html
// Replication: https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
const environment = (secondRegion: string, second = 'broken', account = '111111111111'): Assembly =>
  assemblyOf(
    {
      name: 'primary',
      account: '111111111111',
      region: 'eu-west-1',
      template: fixtureTemplate('region-independence', 'primary'),
    },
    {
      name: 'secondary',
      account,
      region: secondRegion,
      template: fixtureTemplate('region-independence', second),
    },
  );

describe('region-independence', () => {
  it("fires on the second region's image, secret and import from the first", () => {
    expect(
      regionIndependence
        .check(environment('eu-central-1'), {})
        .map((f) => [f.stack, f.logicalId, f.message]),
    ).toEqual([
      [
        'secondary',
        'App',
        expect.stringContaining(
          'Custom::AWSCDK-EKS-KubernetesResource pulls 111111111111.dkr.ecr.eu-west-1.amazonaws.com/api:1.0.0 from ECR in eu-west-1, not eu-central-1, in environment 111111111111 (eu-central-1, eu-west-1): an outage there breaks eu-central-1 too. Fix: replicate',
        ),
      ],
      [
        'secondary',
        'Config',
        expect.stringContaining('(secretsmanager) in eu-west-1, not eu-central-1'),
      ],
      [
        'secondary',
        'Peering',
        expect.stringContaining('imports primary-vpc-cidr, exported in eu-west-1'),
      ],
    ]);
  });

  it('is silent when each region uses its own copies', () => {
    expect(regionIndependence.check(environment('eu-central-1', 'fixed'), {})).toEqual([]);
  });

  it('checks multi-region environments only (an environment is an account unless told otherwise)', () => {
    expect(regionIndependence.check(environment('eu-west-1'), {})).toEqual([]);
    expect(
      regionIndependence.check(environment('eu-central-1', 'broken', '222222222222'), {}),
    ).toEqual([]);
    expect(
      regionIndependence.check(environment('eu-central-1', 'broken', '222222222222'), {
        environmentOf: () => 'live',
      }),
    ).toHaveLength(3);
  });

  it('reports the reader of crossRegionReferences', () => {
    const t = fixtureTemplate('region-independence', 'fixed');
    (t.Resources as Record<string, unknown>).ExportsReader = {
      Type: 'Custom::CrossRegionExportReader',
      Properties: { ReaderProps: { region: 'eu-central-1', prefix: 'secondary' } },
    };
    const assembly = assemblyOf(
      { name: 'primary', account: '1', region: 'eu-west-1', template: { Resources: {} } },
      { name: 'secondary', account: '1', region: 'eu-central-1', template: t },
    );
    expect(regionIndependence.check(assembly, {}).map((f) => f.logicalId)).toEqual([
      'ExportsReader',
    ]);
  });
});
