"""A private Redis server for the tests of the shared rate-limit store: Debian's redis-server,
listening on loopback only, keeping nothing on disk, in its own temporary folder."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from tests.helpers import free_port


class RedisServer:
    def __init__(self, folder: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("Redis is not installed (Debian package `redis-server`)")
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        # Each option beside its value, as on a command line (one item a line would split the pairs).
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(folder), "--daemonize", "no",
             "--logfile", str(folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.url = f"redis://127.0.0.1:{self.port}"
        self.client = self._connect()

    def _connect(self):
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)
        for _ in range(100):
            try:
                client.ping()
                return client
            except redis.ConnectionError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
