import { buildCdkApp } from './cdk-app.js';
import { ENVIRONMENT_NAMES, ENVIRONMENTS, type EnvironmentName } from './environments/index.js';

// `-c env=<name>` (CDK context, as `cdk deploy -c env=live` passes it) or STAYUP_ENV selects one
// environment; without it, every environment is synthesized.
const context = process.env.CDK_CONTEXT_JSON
  ? JSON.parse(process.env.CDK_CONTEXT_JSON).env
  : undefined;
const selected = (context ?? process.env.STAYUP_ENV) as EnvironmentName | undefined;
if (selected && !ENVIRONMENT_NAMES.includes(selected)) {
  process.stderr.write(`'env' (${selected}) must be one of ${ENVIRONMENT_NAMES.join(', ')}\n`);
  process.exit(1);
}
const started = performance.now();
const { app, stacks, delivery, acknowledged } = buildCdkApp(
  selected ? [ENVIRONMENTS[selected]] : Object.values(ENVIRONMENTS),
  { imageTag: process.env.STAYUP_IMAGE_TAG },
);
app.synth();
process.stdout.write(
  `synthesized ${[...stacks, ...delivery].map((s) => s.stackName).join(', ')} to ${app.outdir} in ` +
    `${Math.round(performance.now() - started)} ms (cdk-nag AwsSolutions: ${acknowledged.length} findings acknowledged, 0 left)\n`,
);
