export * from './lifecycle.constants.js';
export * from './lifecycle-options.interface.js';
export * from './lifecycle-state.js';
export * from './lifecycle.module.js';
export * from './lifecycle.service.js';
export type { RequestObserver } from './private/connection-tracker.js';
export * from './shutdown/graceful-shutdown.service.js';
export * from './shutdown/listen-with-lifecycle.js';
