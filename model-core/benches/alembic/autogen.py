"""Alembic's in-process autogenerate on a generated schema (see benches/build_script.rs).

Usage: autogen.py SCHEMA_JSON RUNS [POSTGRES_URL]

The JSON lists N + 1 tables (columns, foreign keys, indexes). A fresh database
(`model_bench_speed_<N>_<pid>`) gets the first N tables; the metadata holds all N + 1, so each
`command.revision(autogenerate=True)` reflects the N tables and writes a revision creating one.
Timed in-process (the revision file removed after each run); prints each run and `median_ms=` last.
The database is dropped at the end.
"""
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

TYPES = {
    "bigint": sa.BigInteger,
    "integer": sa.Integer,
    "boolean": sa.Boolean,
    "text": sa.Text,
    "double": sa.Float,
}


def column_type(name):
    if name.startswith("varchar("):
        return sa.String(int(name[len("varchar("):-1]))
    return TYPES[name]()


def metadata_of(tables):
    md = sa.MetaData()
    for t in tables:
        cols = []
        for c in t["columns"]:
            fk = [sa.ForeignKey(f'{f["table"]}.{f["ref"]}') for f in t["fks"] if f["column"] == c["name"]]
            cols.append(
                sa.Column(c["name"], column_type(c["type"]), *fk, primary_key=c["pk"], nullable=c["nullable"],
                          autoincrement=False)
            )
        table = sa.Table(t["name"], md, *cols)
        for ix in t["indexes"]:
            sa.Index(ix["name"], *[table.c[n] for n in ix["columns"]])
    return md


ENV_PY = '''
from alembic import context
import autogen_target

config = context.config
connectable = autogen_target.ENGINE
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=autogen_target.METADATA)
    with context.begin_transaction():
        context.run_migrations()
'''


def main():
    schema_path, runs = sys.argv[1], int(sys.argv[2])
    url = sys.argv[3] if len(sys.argv) > 3 else "postgresql://postgres@127.0.0.1:5432/postgres"
    url = url.replace("postgres://", "postgresql+psycopg2://", 1).replace("postgresql://", "postgresql+psycopg2://", 1)
    tables = json.load(open(schema_path))
    n = len(tables) - 1
    db = f"model_bench_speed_{n}_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}"'))
        c.execute(sa.text(f'CREATE DATABASE "{db}"'))
    work = tempfile.mkdtemp(prefix="model_bench_speed_alembic_")
    try:
        engine = sa.create_engine(url.rsplit("/", 1)[0] + "/" + db)
        # in batches: one transaction holding thousands of new tables runs out of lock slots
        existing = metadata_of(tables[:n])
        ordered = existing.sorted_tables
        for k in range(0, len(ordered), 200):
            existing.create_all(engine, tables=ordered[k:k + 200])
        import types

        target = types.ModuleType("autogen_target")
        target.ENGINE = engine
        target.METADATA = metadata_of(tables)
        sys.modules["autogen_target"] = target
        script = os.path.join(work, "alembic")
        cfg = Config(os.path.join(work, "alembic.ini"))
        cfg.set_main_option("script_location", script)
        command.init(cfg, script, template="generic")
        with open(os.path.join(script, "env.py"), "w") as f:
            f.write(ENV_PY)
        versions = os.path.join(script, "versions")
        times = []
        for i in range(runs):
            start = time.perf_counter()
            command.revision(cfg, message="add table", autogenerate=True)
            took = (time.perf_counter() - start) * 1000
            times.append(took)
            written = os.listdir(versions)
            text = open(os.path.join(versions, [w for w in written if w.endswith(".py")][0])).read()
            assert f"t{n:05}" in text, "the revision creates the added table"
            shutil.rmtree(versions)
            os.mkdir(versions)
            print(f"run {i + 1}: {took:.1f} ms", flush=True)
        engine.dispose()
        print(f"median_ms={statistics.median(times):.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
