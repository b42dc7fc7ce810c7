import { describe, expect, it } from '@jest/globals';
import { freePorts } from './ports.js';

describe('freePorts', () => {
  it('gives as many ports as asked, all different', async () => {
    const ports = await freePorts(50);
    expect(ports).toHaveLength(50);
    expect(new Set(ports).size).toBe(50);
    for (const port of ports) expect(port).toBeGreaterThan(0);
  });
});
