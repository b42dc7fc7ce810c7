import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/* eslint-disable @typescript-eslint/no-explicit-any -- Renovate's config is untyped JSON */

// Finding 8: the README said Renovate keeps the pins moving; nothing did. renovate.json must be a
// configuration Renovate accepts (its JSON schema) and must reach every kind of pin: action SHAs
// (github-actions manager), the base image tag and digest (dockerfile, docker:pinDigests from
// config:best-practices, and the ARG NODE_VERSION beside them), npm, the EKS version and charts.
//
// The schema is Renovate's own, vendored from the renovate@44.121.2 npm tarball
// (package/renovate-schema.json; tarball integrity sha512-gNsY+POw2UN3B4e8x0B5UK3onH1qF7wMirKGaUnJcSx3+xEWH4n35RS4rvVEtTIIV/BoZoFbsIo7njTb9Mydxg==):
// installing renovate for one file would add hundreds of packages. To refresh it:
//   npm pack renovate@<version> && tar -xzf renovate-<version>.tgz package/renovate-schema.json
// then update the version and the sha256 below (of its JSON.stringify, so formatting is free).
const SCHEMA_PATH = 'tools/repo-checks/vendor/renovate-schema.json';
const SCHEMA_SHA256 = 'ac8e7337f723bf94041f70417a7961b1a003dab1b37b0cea16442c3471bb3071';
const schemaText = readFileSync(SCHEMA_PATH, 'utf8');
const schema = JSON.parse(schemaText);
const config = JSON.parse(readFileSync('renovate.json', 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('regex', {
  validate: (s: string) => {
    try {
      new RegExp(s.replace(/^\/(.*)\/[a-z]*$/, '$1'));
      return true;
    } catch {
      return false;
    }
  },
});
const validateSchema = ajv.compile(schema);

/** Keys the schema does not define (it allows extra ones; Renovate warns and ignores them). */
function unknownKeys(c: any): string[] {
  // a package rule or custom manager takes its own keys and any configuration option
  const top = new Set(Object.keys(schema.properties));
  const props = (def: any) => new Set([...top, ...Object.keys(def.items.allOf[0].properties)]);
  const rule = props(schema.definitions.packageRules);
  const manager = props(schema.definitions.customManagers);
  return [
    ...Object.keys(c).filter((k) => k !== '$schema' && !top.has(k)),
    ...(c.packageRules ?? []).flatMap((r: any) => Object.keys(r).filter((k) => !rule.has(k))),
    ...(c.customManagers ?? []).flatMap((m: any) => Object.keys(m).filter((k) => !manager.has(k))),
  ];
}

/** Schema errors and unknown keys of a configuration. */
function problems(c: any): string[] {
  const valid = validateSchema(c);
  return [
    ...(valid ? [] : (validateSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)),
    ...unknownKeys(c).map((k) => `unknown key ${k}`),
  ];
}

describe('renovate.json', () => {
  it('is the vendored schema, unchanged', () => {
    const canonical = JSON.stringify(JSON.parse(schemaText));
    expect(createHash('sha256').update(canonical).digest('hex')).toBe(SCHEMA_SHA256);
    expect(schema['x-renovate-version']).toBe('44.121.2');
  });

  it('validates against Renovate’s JSON schema, with no key the schema does not know', () => {
    expect(problems(config)).toEqual([]);
  });

  it.each([
    ['a mistyped option', (c: any) => (c.packageRules[0].matchManagerz = ['npm'])],
    ['a wrong type', (c: any) => (c.prConcurrentLimit = 'ten')],
    ['an unknown custom manager type', (c: any) => (c.customManagers[0].customType = 'regexp')],
  ])('rejects %s (negative control)', (_, mutate) => {
    const copy = structuredClone(config);
    mutate(copy);
    expect(problems(copy)).not.toEqual([]);
  });

  it('did not exist before issue 12, nor a Dependabot config', () => {
    expect(existsSync('renovate.json')).toBe(true);
    expect(existsSync('.github/dependabot.yml')).toBe(false); // one bot, not two
  });

  // the Helm charts the platform installs (the load balancer controller) are pinned by
  // aws-cdk-lib's AlbControllerVersion constants, so they move with the aws-cdk group
  it('reaches every kind of pin: actions, the base image digest and NODE_VERSION, npm, EKS', () => {
    expect(config.extends).toContain('config:best-practices'); // docker:pinDigests, helpers:pinGitHubActionDigests
    const custom = config.customManagers.map((m: any) => m.matchStrings.join());
    expect(custom).toEqual([
      expect.stringContaining('ARG NODE_VERSION='),
      expect.stringContaining('KubernetesVersion'),
    ]);
    // each custom manager's pattern still finds its pin in the file it names
    for (const m of config.customManagers) {
      const file = m.managerFilePatterns[0]
        .slice(1, -1)
        .replace(/^\^/, '')
        .replace(/\\\./g, '.')
        .replace(/\$$/, '');
      const path = file.includes('Dockerfile') ? 'apps/api/Dockerfile' : file;
      const re = new RegExp(m.matchStrings[0]);
      expect({ path, found: re.test(readFileSync(path, 'utf8')) }).toEqual({ path, found: true });
    }
    const groups = config.packageRules.map((r: any) => r.groupName).filter(Boolean);
    expect(groups).toEqual(
      expect.arrayContaining(['github actions', 'node base image', 'eks', 'aws-cdk']),
    );
  });
});
