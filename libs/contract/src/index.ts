export * from './container-user.js';
export * from './drain.js';
export * from './metrics.js';
export * from './ports.js';
export * from './probes.js';
export * from './secret-name.js';
export * from './service-env.js';
export * from './timeouts.js';
