#!/bin/sh
# Gives each Kafka principal its SCRAM-SHA-512 credential, as the admin principal (run in the apache/kafka image by
# Compose's kafka-users job and the Helm chart's provisioning Job). Setting a credential again only replaces it.
#   KAFKA_BOOTSTRAP           host:port of a SASL/SCRAM listener
#   KAFKA_ADMIN_USER          the admin principal (a super user), its password in $SECRETS_DIR/kafka-admin
#   MLOPS_KAFKA_PRINCIPALS    space-separated principals, each password in $SECRETS_DIR/kafka-<principal>
#   KAFKA_SECURITY_PROTOCOL   SASL_PLAINTEXT (default) or SASL_SSL
set -eu
secrets="${SECRETS_DIR:-/run/secrets}"
: "${KAFKA_BOOTSTRAP:?KAFKA_BOOTSTRAP is not set}" "${KAFKA_ADMIN_USER:?KAFKA_ADMIN_USER is not set}"
: "${MLOPS_KAFKA_PRINCIPALS:?MLOPS_KAFKA_PRINCIPALS is not set}"
KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx128m}" LOG_DIR="${LOG_DIR:-/tmp}"

umask 077
admin_config="$(mktemp)"
trap 'rm -f "$admin_config"' EXIT
cat >"$admin_config" <<PROPERTIES
security.protocol=${KAFKA_SECURITY_PROTOCOL:-SASL_PLAINTEXT}
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$KAFKA_ADMIN_USER" password="$(cat "$secrets/kafka-admin")";
PROPERTIES

for who in $MLOPS_KAFKA_PRINCIPALS; do
  "$KAFKA_HOME/bin/kafka-configs.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$admin_config" \
    --alter --entity-type users --entity-name "$who" \
    --add-config "SCRAM-SHA-512=[password=$(cat "$secrets/kafka-$who")]" >/dev/null
  echo "kafka-users: $who has its SCRAM-SHA-512 credential"
done
