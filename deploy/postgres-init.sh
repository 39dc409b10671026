#!/usr/bin/env bash
# First-start initialisation of the PostgreSQL service in docker-compose.yml.
#
# The postgres image runs the scripts in /docker-entrypoint-initdb.d once, when the data volume is
# empty, as the superuser. This one creates:
#   - Keel's database, owned by a role that is not a superuser. `keel migrate` connects as this
#     owner (KEEL_DATABASE_ADMIN_URL): it creates the trusted extensions Keel uses (citext, pg_trgm,
#     btree_gist) and owns every table.
#   - The application role (KEEL_DATABASE_URL). It owns nothing, so row-level security applies to
#     every query it makes. `keel migrate` would create it if missing, but without a password, and
#     the services connect over TCP with password authentication; so it is created here, with one.
#   - Temporal's role and its two databases. Temporal's auto-setup runs with SKIP_DB_CREATE=true
#     and only installs its schema, so its role needs no CREATEDB. btree_gin, which the visibility
#     schema needs, is created here by the superuser.
# Each database is closed to PUBLIC: Keel's roles cannot connect to Temporal's databases and the
# other way round.
#
# Names and passwords come from the service's environment (see docker-compose.yml). Because the
# script never runs again on an initialised volume, later changes (a password rotation, a new
# role) are made with psql.
set -eo pipefail

for var in APP_DB_NAME APP_DB_OWNER APP_DB_OWNER_PASSWORD APP_DB_ROLE APP_DB_ROLE_PASSWORD \
    TEMPORAL_DB_USER TEMPORAL_DB_PASSWORD TEMPORAL_DB TEMPORAL_VISIBILITY_DB; do
    if [ -z "${!var:-}" ]; then
        echo "postgres-init: $var must be set" >&2
        exit 1
    fi
done

# Values reach SQL as psql variables: :"name" quotes an identifier and :'name' a literal, so a
# password with quotes in it cannot change the statement.
psql --no-psqlrc -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v app_db="$APP_DB_NAME" \
    -v owner="$APP_DB_OWNER" \
    -v owner_password="$APP_DB_OWNER_PASSWORD" \
    -v app_role="$APP_DB_ROLE" \
    -v app_password="$APP_DB_ROLE_PASSWORD" \
    -v temporal_user="$TEMPORAL_DB_USER" \
    -v temporal_password="$TEMPORAL_DB_PASSWORD" \
    -v temporal_db="$TEMPORAL_DB" \
    -v temporal_visibility_db="$TEMPORAL_VISIBILITY_DB" <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
CREATE DATABASE :"app_db" OWNER :"owner";
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"app_db" TO :"app_role";

CREATE ROLE :"temporal_user" LOGIN PASSWORD :'temporal_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE :"temporal_db" OWNER :"temporal_user";
CREATE DATABASE :"temporal_visibility_db" OWNER :"temporal_user";
REVOKE ALL ON DATABASE :"temporal_db" FROM PUBLIC;
REVOKE ALL ON DATABASE :"temporal_visibility_db" FROM PUBLIC;

\connect :"temporal_visibility_db"
CREATE EXTENSION IF NOT EXISTS btree_gin;
SQL
