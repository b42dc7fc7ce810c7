#!/usr/bin/env node
// `npm run bench`: builds the API, bundles the benchmarks (see launch.mjs), then runs start-up
// and throughput; they print, they do not assert. Arguments go to throughput: [rounds] [seconds].
// See tools/bench/README.md.
import { bundle, run, runBundled } from './launch.mjs';

run('npx', ['nx', 'run', 'api:build', '--outputStyle=static']);
bundle('nest-floor');
bundle('startup');
bundle('throughput');
runBundled('startup', []);
runBundled('throughput', process.argv.slice(2));
