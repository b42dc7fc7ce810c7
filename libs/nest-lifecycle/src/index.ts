export * from './lifecycle.constants.js';
export * from './lifecycle-options.interface.js';
export * from './lifecycle-state.js';
export * from './lifecycle.module.js';
export * from './lifecycle.service.js';
export * from './server-request-hooks.interface.js';
export * from './shutdown/graceful-shutdown.service.js';
export * from './shutdown/listen-with-lifecycle.js';
