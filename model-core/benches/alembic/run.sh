#!/usr/bin/env bash
# Alembic's autogenerate on a generated schema, for benches/build_script.rs:
#   run.sh SCHEMA_JSON RUNS [POSTGRES_URL]
# Creates its own venv (benches/alembic/.venv, not committed) with Alembic, SQLAlchemy and psycopg2
# on first use, then runs autogen.py, which prints `median_ms=<ms>` last.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi
exec "$venv/bin/python" "$here/autogen.py" "$@"
