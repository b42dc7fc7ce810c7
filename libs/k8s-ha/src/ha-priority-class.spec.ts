import { describe, expect, it } from '@jest/globals';
import { HaPriorityClass } from './ha-priority-class.js';
import { only, synth } from './private/testing.js';

describe('HaPriorityClass', () => {
  it('has value 100000, preempts lower priorities and is never the global default', () => {
    const pc = only(
      synth((c) => new HaPriorityClass(c, 'p', { name: 'api-high' })),
      'PriorityClass',
    );
    expect(pc).toMatchObject({
      value: 100000,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      metadata: { name: 'api-high' },
    });
  });

  it('refuses values reserved for system-critical pods', () => {
    expect(() =>
      synth((c) => new HaPriorityClass(c, 'p', { name: 'x', value: 2_000_000_000 })),
    ).toThrow(
      `'priorityClass.value' (2000000000) must be an integer from 1 to 1000000000: values above 1e9 are reserved for system-critical pods`,
    );
  });
});
