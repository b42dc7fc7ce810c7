import { describe, expect, it } from '@jest/globals';
import { HaService } from './ha-service.js';
import { withDeployment, only } from './private/testing.js';

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
});
