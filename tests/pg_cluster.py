"""A throwaway PostgreSQL/PostGIS cluster in a temporary folder, for the tests and the benchmark.

``initdb`` + ``pg_ctl`` from Debian's ``postgresql`` package, on a free port, listening on
localhost only, trusting local connections (nobody else can reach it and it is deleted at
the end). ``initdb`` refuses to run as root, so as root the cluster runs as the
``postgres`` system user that the Debian package creates.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)  # newest first
SYSTEM_USER = "postgres"


class ClusterUnavailable(RuntimeError):
    """PostgreSQL's server binaries (or PostGIS) are not installed on this machine."""


def server_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (Debian keeps them off PATH), or None."""
    for folder in PG_BIN_DIRS:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def missing_reason() -> str | None:
    """Why no cluster can be started here (None when it can)."""
    folder = server_binaries()
    if folder is None:
        return "PostgreSQL is not installed (apt-get install postgresql postgresql-15-postgis-3; .ci/run does it)"
    share = Path(str(folder).replace("/lib/", "/share/")).parent / "extension"
    if share.is_dir() and not list(share.glob("postgis.control")):
        return "PostGIS is not installed (apt-get install postgresql-15-postgis-3; .ci/run does it)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser, and initdb refuses root"
    return None


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    """A running throwaway cluster: its folder, port and superuser."""

    folder: Path
    port: int
    user: str
    bin_dir: Path

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3) for one database of the cluster."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run one SQL command as the superuser; returns its output."""
        command = [str(self.bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user,
                   "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def create_database(self, name: str, template: str = "template_postgis") -> str:
        """A new empty database (PostGIS enabled, copied from the template); returns its URL."""
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, closing whatever still connects to it."""
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        _run_as_owner([str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(self.folder, ignore_errors=True)


def _run_as_owner(command: list[str]) -> None:
    # initdb and postgres refuse root; the Debian package's postgres user runs them instead.
    if os.geteuid() == 0:
        command = ["runuser", "-u", SYSTEM_USER, "--", *command]
    subprocess.run(command, check=True, capture_output=True, text=True)


def start_cluster() -> Cluster:
    """Create and start a cluster with a ``template_postgis`` database; raises ClusterUnavailable."""
    reason = missing_reason()
    if reason:
        raise ClusterUnavailable(reason)
    bin_dir = server_binaries()
    assert bin_dir is not None
    folder = Path(tempfile.mkdtemp(prefix="kirkuk-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, SYSTEM_USER)
        folder.chmod(0o700)
    port = free_port()
    _run_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", SYSTEM_USER, "-A", "trust", "-E", "UTF8",
                   "--locale=C.UTF-8", "--no-sync"])
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=200"
    _run_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start"])
    cluster = Cluster(folder=folder, port=port, user=SYSTEM_USER, bin_dir=bin_dir)
    cluster.psql("CREATE DATABASE template_postgis")
    cluster.psql("CREATE EXTENSION postgis", database="template_postgis")
    return cluster
