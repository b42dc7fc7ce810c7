export * from './assembly.ts';
export * from './check-assembly.ts';
export * from './types.ts';
export * from './rules/index.ts';
