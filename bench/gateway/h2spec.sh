#!/usr/bin/env bash
# HTTP/2 conformance (h2spec) of the gateway's gRPC port next to a bare @grpc/grpc-js server: prints both failure
# counts, exits 1 when the gateway fails more cases. Installs h2spec with `go install` on first use; needs the local
# infrastructure (bash deploy/local/infra up), as the gateway does.
#   bash bench/gateway/h2spec.sh
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
H2SPEC="$(go env GOPATH)/bin/h2spec"
if [[ ! -x "$H2SPEC" ]]; then
  echo "[h2spec] installing with go install (once)" >&2
  go install github.com/summerwind/h2spec/cmd/h2spec@latest
fi
exec node -r @swc-node/register bench/gateway/h2spec.ts "$H2SPEC"
