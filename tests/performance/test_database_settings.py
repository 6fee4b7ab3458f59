"""Database connection settings from the environment: pooling and persistence."""

import json
import os
import subprocess
import sys

from tests.servers import ROOT

PRINT_DATABASE = (
    "import json; from newsroom.settings import base; "
    "db = base.DATABASES['default']; "
    "print(json.dumps([db['CONN_MAX_AGE'], db.get('OPTIONS', {}).get('pool')]))"
)


def database_settings(**env):
    result = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASE],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "postgres://u@127.0.0.1/db", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(result.stdout)


def test_database_pool_uses_psycopg_pool_without_persistent_connections():
    conn_max_age, pool = database_settings(
        DATABASE_POOL="true", DATABASE_POOL_MIN_SIZE="2", DATABASE_POOL_MAX_SIZE="8"
    )

    assert conn_max_age == 0
    assert pool["min_size"] == 2
    assert pool["max_size"] == 8


def test_without_database_pool_connections_persist_as_before():
    conn_max_age, pool = database_settings(DATABASE_POOL="", CONN_MAX_AGE="60")

    assert conn_max_age == 60
    assert pool is None


def test_sqlite_connections_persist_too():
    conn_max_age, _pool = database_settings(
        DATABASE_URL="sqlite:////tmp/newsroom-settings-check.sqlite3", CONN_MAX_AGE="60"
    )

    assert conn_max_age == 60
