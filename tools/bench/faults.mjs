#!/usr/bin/env node
// The fault suite, API beside bare Node (src/faults.ts): bundles it and runs it on this Node.js.
// Needs dist/apps/api (`npx nx build api`), HAProxy, and root for the pod cgroups.
// Usage: node tools/bench/faults.mjs [kill|zone|stall|pipelining|stdout|drain|overload|overload-direct …]
import { bundle, runBundled } from './launch.mjs';

bundle('faults');
runBundled('faults', process.argv.slice(2));
