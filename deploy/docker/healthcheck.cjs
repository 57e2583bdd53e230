'use strict';
// Container healthcheck (Dockerfile HEALTHCHECK, compose healthchecks): exits 0 when
// GET http://<host>:<MLOPS_HTTP_PORT><path> answers 2xx within 4 s, else 1.
// Usage: node healthcheck.cjs [path]    path defaults to /health/ready
// The node image has no curl/wget, and node 20 has fetch built in.

const DEFAULT_HTTP_PORTS = {
  'inference-gateway': 8080,
  'feature-store': 8082,
  registry: 8084,
  governance: 8085,
  trainer: 8086,
  monitor: 8087,
};

const path = process.argv[2] || '/health/ready';
const port = process.env.MLOPS_HTTP_PORT || DEFAULT_HTTP_PORTS[process.env.SERVICE || ''];
const bind = process.env.MLOPS_HTTP_HOST || '';
const host = bind === '' || bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind;

if (!port) {
  console.error('healthcheck: neither MLOPS_HTTP_PORT nor a known SERVICE is set');
  process.exit(1);
}

fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`, { signal: AbortSignal.timeout(4000) }).then(
  (res) => {
    if (!res.ok) console.error(`healthcheck: ${path} answered ${res.status}`);
    process.exit(res.ok ? 0 : 1);
  },
  (err) => {
    console.error(`healthcheck: ${path} failed: ${err.message}`);
    process.exit(1);
  },
);
