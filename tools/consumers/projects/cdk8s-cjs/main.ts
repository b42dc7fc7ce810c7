import { Construct } from 'constructs';
import { App, Chart, ChartProps } from 'cdk8s';
import { HighlyAvailableService } from '@stayup/k8s-ha';

export class MyChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    new HighlyAvailableService(this, 'web', {
      name: 'web',
      image: 'registry.example.com/web:1.4.2',
      ingress: { hosts: ['web.example.com'] },
    });
  }
}

const app = new App();
new MyChart(app, 'cdk8s-cjs');
app.synth();
