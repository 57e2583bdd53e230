#!/bin/sh
# One login role per service, owning the schema of the same name and allowed nothing else, as the database's
# admin (run in the postgres image by Compose's postgres-roles job and the Helm chart's provisioning Job).
# Idempotent: a role that exists gets its password reset from the secret file.
#   PGHOST PGPORT PGUSER PGDATABASE   libpq's own variables (PGUSER: the admin, owner of the database)
#   PGSSLMODE                          optional, libpq's own
#   MLOPS_SERVICES                     space-separated services; role mlops_<service>, schema <service>, '-' as '_'
# Passwords: $SECRETS_DIR/postgres-admin and $SECRETS_DIR/postgres-<service>.
set -eu
secrets="${SECRETS_DIR:-/run/secrets}"
: "${PGHOST:?PGHOST is not set}" "${PGUSER:?PGUSER is not set}" "${PGDATABASE:?PGDATABASE is not set}"
: "${MLOPS_SERVICES:?MLOPS_SERVICES is not set}"
PGPASSWORD="$(cat "$secrets/postgres-admin")"
# Re-runs find the roles and schemas there: their notices say nothing worth a log line.
PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
export PGPASSWORD PGOPTIONS

psql -v ON_ERROR_STOP=1 -qAt <<'SQL'
REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL

for service in $MLOPS_SERVICES; do
  schema="$(echo "$service" | tr '-' '_')"
  # The password is read by psql itself (\set with backquotes), so it is on no command line.
  psql -v ON_ERROR_STOP=1 -qAt -v role="mlops_$schema" -v schema="$schema" -v password_file="$secrets/postgres-$service" <<'SQL'
\set password `cat :'password_file'`
SELECT format('CREATE ROLE %I LOGIN NOINHERIT', :'role')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" PASSWORD :'password';
GRANT CONNECT ON DATABASE :"DBNAME" TO :"role";
GRANT :"role" TO CURRENT_USER;
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"role";
ALTER SCHEMA :"schema" OWNER TO :"role";
SQL
  echo "postgres-roles: mlops_$schema owns schema $schema"
done
