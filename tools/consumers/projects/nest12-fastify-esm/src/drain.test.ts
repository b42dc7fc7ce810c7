import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { drainUnderLoad } from '../test-support/drain-under-load.cjs';

it('serves every request through SIGTERM under load, finishes the slow ones, exits 0', async () => {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const result = await drainUnderLoad({ main, delayMs: 1200 });
  console.log(`drain: ${JSON.stringify({ ...result, output: undefined })}`);
  assert.deepEqual(result.fast.failures, []);
  assert.ok(result.fast.afterSigterm > 0, 'requests were sent during the delay');
  assert.ok(result.fast.closedAfterSigterm > 0, 'keep-alive callers were told to reconnect');
  assert.deepEqual(result.slow, Array(result.slow.length).fill('done'));
  assert.deepEqual([result.readyBefore, result.readyDraining], [200, 503]);
  assert.deepEqual(result.exit, { code: 0, signal: null });
});
