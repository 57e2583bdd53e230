#!/bin/sh
# The platform's buckets, and one MinIO user per service whose policy allows only its own prefixes, as the MinIO
# root user (run in the minio image, which ships mc, by Compose's minio-users job and the Helm chart's provisioning
# Job). The policies are the JSON files deploy/local/provision.ts storage-policies writes from libs/storage's grants.
#   MLOPS_S3_ENDPOINT   http(s)://host:port of the MinIO API
#   MINIO_ROOT_USER     the root (or an admin) user, its password in $SECRETS_DIR/minio-root
#   MLOPS_SERVICES      space-separated services; each one's secret key in $SECRETS_DIR/minio-<service>
#   POLICIES_DIR        where <service>.json policies are
set -eu
secrets="${SECRETS_DIR:-/run/secrets}"
: "${MLOPS_S3_ENDPOINT:?MLOPS_S3_ENDPOINT is not set}" "${MINIO_ROOT_USER:?MINIO_ROOT_USER is not set}"
: "${MLOPS_SERVICES:?MLOPS_SERVICES is not set}" "${POLICIES_DIR:?POLICIES_DIR is not set}"
MC_CONFIG_DIR="$(mktemp -d)"
export MC_CONFIG_DIR
trap 'rm -rf "$MC_CONFIG_DIR"' EXIT

mc() { command mc --config-dir "$MC_CONFIG_DIR" --quiet "$@"; }

mc alias set mlops "$MLOPS_S3_ENDPOINT" "$MINIO_ROOT_USER" "$(cat "$secrets/minio-root")" >/dev/null
for bucket in mlops-artifacts mlops-datasets mlops-reports; do
  mc mb --ignore-existing "mlops/$bucket" >/dev/null
done
for who in $MLOPS_SERVICES; do
  mc admin policy create mlops "mlops-$who" "$POLICIES_DIR/$who.json" >/dev/null
  mc admin user add mlops "$who" "$(cat "$secrets/minio-$who")" >/dev/null
  if ! mc admin policy entities mlops --user "$who" 2>/dev/null | grep -q "mlops-$who"; then
    mc admin policy attach mlops "mlops-$who" --user "$who" >/dev/null
  fi
  echo "minio-users: $who may use its prefixes (policy mlops-$who)"
done
