import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlResourcesOf } from './eks.ts';
import type { Assembly } from './types.ts';

// A Helm release of a chart asset (aws-eks-v2 HelmChart `chartAsset`: the kubectl handler
// downloads `ChartAssetURL` and runs `helm upgrade --install` on it) installs objects the
// template does not show. The checker renders the staged asset (cdk.out/asset.<hash>) with the
// real helm, so every rule sees them.
const HASH = 'ab'.repeat(32);

function assemblyWithChart(): Assembly {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-check-helm-'));
  const chart = join(dir, `asset.${HASH}`);
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
  writeFileSync(join(chart, 'values.yaml'), 'host: web.example.com\n');
  writeFileSync(
    join(chart, 'templates', 'ingress.yaml'),
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: {{ .Release.Namespace }}\n' +
      'spec:\n  rules:\n    - host: {{ .Values.host }}\n',
  );
  return {
    directory: dir,
    stacks: [
      {
        name: 'app',
        region: 'eu-west-1',
        template: {
          Resources: {
            Web: {
              Type: 'Custom::AWSCDK-EKS-HelmChart',
              Properties: {
                ClusterName: 'c',
                Release: 'web',
                Namespace: 'shop',
                ChartAssetURL: { 'Fn::Sub': `s3://cdk-assets-\${AWS::AccountId}/${HASH}.zip` },
                Values: '{"host":"shop.example.com"}',
              },
            },
          },
        },
      },
    ],
  };
}

describe('Helm releases of chart assets', () => {
  it('are rendered with their release values and namespace', () => {
    const [release] = kubectlResourcesOf(assemblyWithChart());
    expect(release.objects.map((o) => [o.kind, o.name, o.namespace])).toEqual([
      ['Ingress', 'web', 'shop'],
    ]);
    expect(JSON.stringify(release.objects[0].body)).toContain('shop.example.com');
  });

  it('are left unrendered when the asset is not staged (a hand-made assembly)', () => {
    const { stacks } = assemblyWithChart();
    expect(kubectlResourcesOf({ stacks })[0].objects).toEqual([]);
  });
});
