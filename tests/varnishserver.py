"""A private Varnish for the tests of the shared cache: Debian's varnishd with the SHIPPED
configuration (deploy/varnish/helpcenter.vcl, only its backend's address changed), listening on
loopback only, with its own working folder; bench/cache.py starts it the same way."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_VCL = ROOT / "deploy" / "varnish" / "helpcenter.vcl"


def vcl_for_backend(port: int, host: str = "127.0.0.1") -> str:
    """The shipped VCL with its backend pointed at `host:port` (the one thing a site edits)."""
    text = SHIPPED_VCL.read_text(encoding="utf-8")
    text, hosts = re.subn(r'\.host = "[^"]*";', f'.host = "{host}";', text, count=1)
    text, ports = re.subn(r'\.port = "[^"]*";', f'.port = "{port}";', text, count=1)
    assert hosts == ports == 1, "the shipped VCL's backend has no .host/.port to point"
    return text


class VarnishServer:
    def __init__(self, folder: Path, backend_port: int, port: int) -> None:
        binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
        if not Path(binary).exists():
            raise RuntimeError("Varnish is not installed (Debian package `varnish`)")
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        vcl = folder / "helpcenter.vcl"
        vcl.write_text(vcl_for_backend(backend_port), encoding="utf-8")
        # -F: in the foreground, stopped with the process; -j none: no jail (no user switch, so
        # the private working folder under tmp needs no permissions for Debian's vcache user);
        # -n: its own working folder, so runs never share a shared-memory log.
        self.process = subprocess.Popen(
            [binary, "-F", "-j", "none", "-n", str(folder / "work"), "-a", f"127.0.0.1:{port}",
             "-T", "none", "-f", str(vcl), "-s", "malloc,64m", "-p", "ban_lurker_sleep=0.01"],
            stdout=subprocess.DEVNULL, stderr=(folder / "varnishd.log").open("wb"),
        )  # fmt: skip
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=5).read()
                return
            except urllib.error.HTTPError:
                return  # Varnish answers (the app behind may not be ready: that is the test's)
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        log = (self.folder / "varnishd.log").read_text(errors="replace")
        raise RuntimeError(f"varnishd on port {self.port} did not start:\n{log}")

    def counters(self) -> dict[str, int]:
        """varnishstat's counters (MAIN.cache_hit, MAIN.cache_miss, …) by name."""
        output = subprocess.run(
            ["varnishstat", "-n", str(self.folder / "work"), "-1", "-j"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        data = json.loads(output)
        counters = data.get("counters", data)
        return {
            name: int(value["value"])
            for name, value in counters.items()
            if isinstance(value, dict) and "value" in value
        }

    def counter_reaches(self, name: str, least: int, patience: float = 10.0) -> int:
        """`name`'s value once it is at least `least` (or its last value after `patience` s).

        Varnish's worker threads add their tallies to the shared counters in batches (when a
        thread goes idle, or every `wthread_stats_rate` requests), so a hit the client has just
        seen may show up in varnishstat a moment later: wait for it rather than read once."""
        deadline = time.monotonic() + patience
        while True:
            value = self.counters().get(name, 0)
            if value >= least or time.monotonic() > deadline:
                return value
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
