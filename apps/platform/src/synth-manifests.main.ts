import { ENVIRONMENTS } from './environments/index.js';
import { synthManifests } from './synth-manifests.js';

// STAYUP_IMAGE_TAG overrides every environment's image tag (CI sets it).
for (const path of synthManifests(Object.values(ENVIRONMENTS), process.env.STAYUP_IMAGE_TAG)) {
  process.stdout.write(`wrote ${path}\n`);
}
