export { default } from '../../tools/eslint/publishable-lib.mjs';
