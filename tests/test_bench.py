"""The benchmark's own accounting: it must tell its own CPU use from other work on the machine."""
import subprocess
import sys
import time

import pytest

from bench.common import ForeignCpu
from bench.report import _foreign_line

BURN = "import time\nend = time.time() + {seconds}\nwhile time.time() < end: pass\n"
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def measure(start_burner, seconds: float = 3.0) -> dict:
    watch = ForeignCpu()
    start_burner(seconds)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.5)
        watch.sample()
    return watch.summary()


def test_a_busy_child_of_the_benchmark_is_its_own_work():
    children = []
    summary = measure(lambda s: children.append(subprocess.Popen([sys.executable, "-c", BURN.format(seconds=s)])))
    children[0].wait()
    assert summary["mean_share"] < 0.25, summary


def test_a_busy_process_outside_the_benchmark_is_foreign():
    # sh starts the burner in the background and exits: the burner is no longer in this process tree
    summary = measure(lambda s: subprocess.run(
        ["sh", "-c", f"{sys.executable} -c '{BURN.format(seconds=s)}' >/dev/null 2>&1 &"], check=True))
    assert summary["mean_share"] > 0.3 / (ForeignCpu().cores / 2), summary


def test_the_report_says_whether_the_machine_was_shared():
    quiet = _foreign_line({"meta": {"foreign_cpu": {"mean_share": 0.01, "max_share": 0.04, "windows": 9}}})
    busy = _foreign_line({"meta": {"foreign_cpu": {"mean_share": 0.4, "max_share": 0.9, "windows": 9}},
                          "section_foreign_cpu": {"scale": {"mean_share": 0.5, "max_share": 0.9, "windows": 3}}})
    assert "otherwise quiet" in quiet and "mean 1%" in quiet
    assert "shared with other work" in busy and "scale 50% (max 90%)" in busy
