import { join } from 'node:path';
import { drainUnderLoad } from '../test-support/drain-under-load.cjs';

// The built app (`npm run build`), as `node dist/main` runs it in the container.
describe('SIGTERM under load', () => {
  it('serves every request, finishes the slow ones, and exits 0', async () => {
    const result = await drainUnderLoad({
      main: join(__dirname, '../dist/main.js'),
      delayMs: 1200,
    });
    console.log(`drain: ${JSON.stringify({ ...result, output: undefined })}`);
    expect(result.fast.failures).toEqual([]);
    expect(result.fast.afterSigterm).toBeGreaterThan(0);
    // keep-alive callers are told to reconnect during the delay
    expect(result.fast.closedAfterSigterm).toBeGreaterThan(0);
    expect(result.slow).toEqual(Array(result.slow.length).fill('done'));
    expect([result.readyBefore, result.readyDraining]).toEqual([200, 503]);
    expect(result.exit).toEqual({ code: 0, signal: null });
  }, 30_000);
});
