import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Assembly, StackTemplate, Template } from './types.ts';

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly directoryName?: string;
  };
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/**
 * Reads a cloud assembly directory (`cdk.out`): every `aws:cloudformation:stack` artifact of
 * manifest.json, nested cloud assemblies (CDK stages) and nested stacks (the template named by
 * the `aws:asset:path` metadata CDK writes on each `AWS::CloudFormation::Stack`).
 * @see https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/cloud-assembly-schema/lib/cloud-assembly/artifact-schema.ts
 */
export function loadAssembly(dir: string): Assembly {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new Error(`'${dir}' is not a cloud assembly (no manifest.json): run 'cdk synth' first`);
  }
  const manifest = readJson(manifestFile) as { artifacts?: Record<string, ManifestArtifact> };
  const stacks: StackTemplate[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...loadAssembly(join(dir, artifact.properties.directoryName)).stacks);
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) {
      continue;
    }
    const [account, region] = parseEnvironment(artifact.environment);
    const stack: StackTemplate = {
      name: artifact.properties.stackName ?? id,
      account,
      region,
      template: readJson(join(dir, artifact.properties.templateFile)) as Template,
    };
    stacks.push(stack, ...nestedStacks(dir, stack));
  }
  return { stacks, directory: dir };
}

function parseEnvironment(environment: string | undefined): [string?, string?] {
  const match = /^aws:\/\/([^/]+)\/(.+)$/.exec(environment ?? '');
  if (!match) return [];
  const known = (v: string) => (v.startsWith('unknown-') ? undefined : v);
  return [known(match[1]), known(match[2])];
}

function nestedStacks(dir: string, parent: StackTemplate): StackTemplate[] {
  const nested: StackTemplate[] = [];
  for (const [logicalId, resource] of Object.entries(parent.template.Resources ?? {})) {
    const file = resource.Metadata?.['aws:asset:path'];
    if (resource.Type !== 'AWS::CloudFormation::Stack' || typeof file !== 'string') continue;
    if (!existsSync(join(dir, file))) continue;
    const stack: StackTemplate = {
      name: `${parent.name}/${logicalId}`,
      account: parent.account,
      region: parent.region,
      parent: parent.name,
      template: readJson(join(dir, file)) as Template,
    };
    nested.push(stack, ...nestedStacks(dir, stack));
  }
  return nested;
}

/** An assembly of hand-written templates (tests, or templates from elsewhere). */
export function assemblyOf(
  ...stacks: { name: string; template: Template; account?: string; region?: string }[]
): Assembly {
  return { stacks };
}
