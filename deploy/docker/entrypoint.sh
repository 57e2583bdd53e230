#!/bin/sh
# Container entrypoint for the platform image (see deploy/docker/Dockerfile).
#   SERVICE=<name>  mlops-entrypoint          starts services/<name>/src/main.ts
#   mlops-entrypoint <name> [args...]          same, service given as the first argument (args go to main.ts)
#   mlops-entrypoint <any other command>       runs that command (e.g. sh, npm run mlops -- ...)
set -eu

# Paths are relative to the image's WORKDIR (/app), the repository root inside the image.
if [ "$#" -gt 0 ] && [ -f "services/$1/src/main.ts" ]; then
  SERVICE="$1"
  shift
elif [ "$#" -gt 0 ]; then
  exec "$@"
fi

if [ -z "${SERVICE:-}" ]; then
  echo "mlops-entrypoint: set SERVICE to one of: $(ls services 2>/dev/null | tr '\n' ' ')" >&2
  exit 64
fi
if [ ! -f "services/$SERVICE/src/main.ts" ]; then
  echo "mlops-entrypoint: unknown service '$SERVICE' (no services/$SERVICE/src/main.ts in the image)" >&2
  exit 64
fi
export SERVICE
# The *_FILE convention of Docker and Kubernetes secrets: the service's API key from a mounted file.
if [ -n "${MLOPS_SERVICE_API_KEY_FILE:-}" ]; then
  MLOPS_SERVICE_API_KEY="$(cat "$MLOPS_SERVICE_API_KEY_FILE")"
  export MLOPS_SERVICE_API_KEY
fi

exec node --enable-source-maps -r @swc-node/register "services/$SERVICE/src/main.ts" "$@"
