import { describe, expect, it } from '@jest/globals';
import { HaDeployment } from './ha-deployment.js';
import { HaService } from './ha-service.js';
import { only, synth, withDeployment } from './private/testing.js';

describe('HaService', () => {
  it('is a ClusterIP on port 80 targeting the named container port', () => {
    const svc = only(
      withDeployment((c, d) => new HaService(c, 's', { deployment: d })),
      'Service',
    );
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  it('refuses a Deployment without HTTP (a worker), which nothing routes traffic to', () => {
    expect(() =>
      synth((chart) => {
        const worker = new HaDeployment(chart, 'w', {
          name: 'mailer',
          image: 'r/mailer:1.0.0',
          port: false,
          metricsPort: false,
          probes: { exec: ['true'] },
        });
        new HaService(chart, 's', { deployment: worker });
      }),
    ).toThrow(
      `'deployment' (mailer) must serve HTTP for a Service: it was made with port: false (a worker), which nothing routes traffic to; give it a port and HTTP probes, or do without a Service`,
    );
  });

  it('refuses command probes on an HTTP server, whose readiness must follow its drain', () => {
    expect(() =>
      synth(
        (chart) =>
          new HaDeployment(chart, 'd', {
            name: 'api',
            image: 'r/api:1.0.0',
            probes: { exec: ['true'] },
          }),
      ),
    ).toThrow(
      `'probes' ({"exec":["true"]}) must be HTTP paths for a workload with an HTTP 'port': its readiness must go down while it drains; set port: false for a worker`,
    );
  });
});
