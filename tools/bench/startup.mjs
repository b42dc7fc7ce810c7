#!/usr/bin/env node
// Spawn-to-ready of the built API against bare Node (src/startup.ts): bundles it, then runs it on
// this Node.js. Needs dist/apps/api (`npx nx build api`, or `npm run bench` once).
// Usage: node tools/bench/startup.mjs [runs]
import { bundle, runBundled } from './launch.mjs';

bundle('startup');
runBundled('startup', process.argv.slice(2));
