#!/usr/bin/env node
// Throughput of the built API against bare Node and the NestJS floor (src/throughput.ts): bundles
// it and the floor, then runs it on this Node.js. Needs dist/apps/api (`npx nx build api`, or
// `npm run bench` once) and wrk.
// Usage: node tools/bench/throughput.mjs [rounds] [seconds]
// On another Node.js (the image runs Node 24): npx -y node@24 tools/bench/throughput.mjs
import { bundle, runBundled } from './launch.mjs';

bundle('nest-floor');
bundle('throughput');
runBundled('throughput', process.argv.slice(2));
