export * from './api-process.js';
export * from './haproxy.js';
export * from './http-client.js';
export * from './load-generator.js';
export * from './ports.js';
export * from './proc.js';
export * from './rolling-restart.js';
