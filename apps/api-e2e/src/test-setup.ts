import { afterAll } from '@jest/globals';
import { ApiProcess } from '@stayup/harness';

// A failed assertion must not leave API processes running (and Jest waiting on them).
afterAll(() => ApiProcess.killAll());
