export * from './manifest.js';
export * from './policy-rules.js';
export * from './validate-schemas.js';
