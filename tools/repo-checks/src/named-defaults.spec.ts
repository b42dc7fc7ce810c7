import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBareDefaults } from './named-defaults.js';

// The construct libraries promise that every default is a named, exported constant with its
// reason (libs/k8s-ha/README.md, "Every default is a named, exported constant"), as aws-cdk's
// aws-eks does (DEFAULT_CAPACITY_COUNT above `?? DEFAULT_CAPACITY_COUNT`). This keeps it true.
const LIBRARIES = ['libs/k8s-ha/src', 'libs/eks-platform/src'];

describe('construct defaults', () => {
  it('are named constants, never bare values after ??', () => {
    const files = LIBRARIES.flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
        .map((f) => join(dir, f)),
    );
    expect(files.length).toBeGreaterThan(15);
    const bare = files.flatMap((file) =>
      findBareDefaults(file, readFileSync(file, 'utf8')).map(
        (d) => `${d.file}:${d.line} ${d.text}`,
      ),
    );
    expect(bare).toEqual([]);
  });

  it('flags numbers, strings, booleans and non-empty literals, not names or empty values', () => {
    const source = `
      const a = props.replicas ?? 2;
      const b = props.scheme ?? 'internet-facing';
      const c = props.gates ?? true;
      const d = props.labels ?? { release: 'prometheus' };
      const e = props.cidrs ?? ['10.0.0.0/8'];
      const f = props.replicas ?? DEFAULT_REPLICAS;
      const g = props.egress ?? [];
      const h = props.env ?? {};
      const i = props.namespace ?? '';
      const j = props.name ?? \`\${name}-high\`;
    `;
    expect(findBareDefaults('fixture.ts', source).map((d) => d.line)).toEqual([2, 3, 4, 5, 6]);
  });
});
