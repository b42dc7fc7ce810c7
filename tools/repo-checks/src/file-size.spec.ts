import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// A file a newcomer can read in one sitting: no source file (tests included) past 400 lines.
// The model codebases stumble exactly here (cdk8s-plus's pod.ts: 1,824 lines; aws-eks's
// cluster.ts: 91k characters). Split by job before the limit, as tools/k8s-policy/src/rules/ and
// libs/k8s-ha/src/ha-deployment-defaults.ts do.
const MAX_LINES = 400;

describe('source files', () => {
  it(`are at most ${MAX_LINES} lines`, () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|mts|mjs|js|sh)$/.test(f) || f === '.ci/run');
    expect(files.length).toBeGreaterThan(100);
    const long = files
      .map((f) => ({ file: f, lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
