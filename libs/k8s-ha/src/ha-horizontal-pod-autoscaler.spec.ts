import { describe, expect, it } from '@jest/globals';
import { HaHorizontalPodAutoscaler } from './ha-horizontal-pod-autoscaler.js';
import { withDeployment, only } from './private/testing.js';

describe('HaHorizontalPodAutoscaler', () => {
  it('scales 2-10 on cpu 70 % and memory 80 %, up fast and down slowly', () => {
    const hpa = only(
      withDeployment((c, d) => new HaHorizontalPodAutoscaler(c, 'h', { deployment: d })),
      'HorizontalPodAutoscaler',
    );
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
        {
          type: 'Resource',
          resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Percent', value: 100, periodSeconds: 30 },
            { type: 'Pods', value: 4, periodSeconds: 30 },
          ],
        },
        scaleDown: {
          stabilizationWindowSeconds: 300,
          selectPolicy: 'Min',
          policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
        },
      },
    });
  });

  it.each([
    [
      { cpuUtilization: 5 },
      `'scaling.cpuUtilization' (5) must be an integer from 10 to 100: use a percentage of the request, e.g. 70`,
    ],
    [
      { minReplicas: 0, allowSingleReplica: true },
      `'scaling.minReplicas' (0) must be an integer from 1 to 1000: use 2 or more`,
    ],
  ])('refuses %j', (props, message) => {
    expect(() =>
      withDeployment((c, d) => new HaHorizontalPodAutoscaler(c, 'h', { deployment: d, ...props })),
    ).toThrow(message);
  });
});
