// The baseline of the fault suite: the service as a careful developer writes it with node:http
// alone, the same endpoints and drain as the API without any of its defences. Same environment
// variables: PORT, HOST, SHUTDOWN_DELAY_MS.
//   GET /hello → 200 {"message":"Hello!"}; GET /ready → 200, 503 once draining; GET /alive → 200
//   one JSON log line per request on stdout (process.stdout.write, as console.log does), unless
//   LOG_LEVEL is above info (as the API)
//   SIGTERM → readiness down, serve SHUTDOWN_DELAY_MS more, then server.close() and exit 0
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';
const delayMs = Number(process.env.SHUTDOWN_DELAY_MS ?? 5000);
const logRequests = ['info', 'debug', 'trace', undefined].includes(process.env.LOG_LEVEL);
let draining = false;

const json = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

const server = createServer((req, res) => {
  const started = performance.now();
  if (logRequests)
    res.on('finish', () => {
      process.stdout.write(
        `${JSON.stringify({ level: 'info', time: Date.now(), method: req.method, url: req.url, statusCode: res.statusCode, durationMs: performance.now() - started })}\n`,
      );
    });
  if (req.url === '/hello') json(res, 200, { message: 'Hello!' });
  else if (req.url === '/ready')
    json(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ok' });
  else if (req.url === '/alive') json(res, 200, { status: 'ok' });
  else json(res, 404, { message: 'Not Found' });
});
server.keepAliveTimeout = 65_000;
server.listen(port, host);

process.once('SIGTERM', () => {
  draining = true;
  setTimeout(() => server.close(() => process.exit(0)), delayMs);
});
