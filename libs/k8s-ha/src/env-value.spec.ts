import { describe, expect, it } from '@jest/globals';
import { EnvValue } from './env-value.js';

describe('EnvValue', () => {
  it('renders literals and references', () => {
    expect(EnvValue.fromValue('x').toKube('A')).toEqual({ name: 'A', value: 'x' });
    expect(EnvValue.fromSecret('s', 'k').toKube('B')).toEqual({
      name: 'B',
      valueFrom: { secretKeyRef: { name: 's', key: 'k' } },
    });
    expect(EnvValue.fromConfigMap('c', 'k').isLiteral).toBe(false);
  });
});
