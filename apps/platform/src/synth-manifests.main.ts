import { synthManifests } from './synth-manifests.js';

for (const path of synthManifests()) process.stdout.write(`wrote ${path}\n`);
