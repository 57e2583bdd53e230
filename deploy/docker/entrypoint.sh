#!/bin/sh
# Container entrypoint for the platform image (see deploy/docker/Dockerfile).
#   SERVICE=<name>  mlops-entrypoint          starts services/<name>/src/main.ts
#   mlops-entrypoint <name> [args...]          same, service given as the first argument (args go to main.ts)
#   mlops-entrypoint <any other command>       runs that command (e.g. sh, npm run mlops -- ..., deploy/local/provision.ts)
set -eu

# The *_FILE convention of Docker and Kubernetes secrets: each credential the platform reads may come from a mounted
# file instead (Compose mounts them under /run/secrets). Only these variables: others ending in _FILE are paths the
# services read themselves (MLOPS_GOVERNANCE_SEED_KEYS_FILE).
for name in MLOPS_SERVICE_API_KEY MLOPS_KAFKA_PASSWORD MLOPS_POSTGRES_URL MLOPS_S3_ACCESS_KEY MLOPS_S3_SECRET_KEY; do
  file="$(printenv "${name}_FILE" || true)"
  if [ -n "$file" ]; then
    if [ ! -r "$file" ]; then
      echo "mlops-entrypoint: ${name}_FILE names $file, which cannot be read" >&2
      exit 64
    fi
    value="$(cat "$file")"
    export "$name=$value"
    unset "${name}_FILE"
  fi
done
unset name file value

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

exec node --enable-source-maps -r @swc-node/register "services/$SERVICE/src/main.ts" "$@"
