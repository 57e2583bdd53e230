#!/bin/sh
# Starts the Compose stack's single Kafka node (KRaft, broker + controller) secured as deploy/local/infra secures
# the local one: clients authenticate with SASL/SCRAM-SHA-512 and are held to ACLs (StandardAuthorizer, nothing
# allowed without one); the controller and inter-broker listeners use SASL/PLAIN with the broker's own secret.
# The admin's SCRAM credential is written at format time; kafka-users (deploy/docker/provision) adds the services'.
# Configuration and the admin's client properties go to /tmp, mode 0600, never to the image or a volume.
set -eu
secrets=/run/secrets
broker="$(cat "$secrets/kafka-broker")"
admin="$(cat "$secrets/kafka-admin")"
umask 077

cat >/tmp/server.properties <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=kafka:9093
listeners=INTERNAL://:19092,EXTERNAL://:9092,CONTROLLER://:9093,BROKER://:9094
advertised.listeners=INTERNAL://kafka:19092,EXTERNAL://localhost:9092,BROKER://kafka:9094
controller.listener.names=CONTROLLER
inter.broker.listener.name=BROKER
listener.security.protocol.map=INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT,BROKER:SASL_PLAINTEXT
listener.name.internal.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.internal.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.external.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.external.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$broker" user_broker="$broker";
listener.name.broker.sasl.enabled.mechanisms=PLAIN
listener.name.broker.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$broker" user_broker="$broker";
sasl.mechanism.controller.protocol=PLAIN
sasl.mechanism.inter.broker.protocol=PLAIN
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:broker;User:$KAFKA_ADMIN_USER
log.dirs=/var/lib/kafka/data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPERTIES

# What the healthcheck and an operator's `docker compose exec kafka` tools log in with.
cat >/tmp/admin.properties <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$KAFKA_ADMIN_USER" password="$admin";
PROPERTIES

# --ignore-formatted: on a restart the data volume is kept as it is (and so are the credentials in its metadata).
/opt/kafka/bin/kafka-storage.sh format --standalone --ignore-formatted -t "$CLUSTER_ID" -c /tmp/server.properties \
  --add-scram "SCRAM-SHA-512=[name=$KAFKA_ADMIN_USER,password=$admin]"
exec /opt/kafka/bin/kafka-server-start.sh /tmp/server.properties
