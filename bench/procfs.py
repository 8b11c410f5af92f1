"""What Linux's /proc tells the bench about processes: children, CPU time, memory."""

from __future__ import annotations

import os
from pathlib import Path

from report import BenchError


def _stat_fields(pid: int | str) -> list[str]:
    # The command name in parentheses may hold spaces; the fields after it never do.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    """Return the ids of the processes whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(_stat_fields(stat.parent.name)[1])
        except OSError:
            continue  # exited in between
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """Return the CPU time (user + system) the processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue  # exited in between
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def status_kb(pid: int | str, field: str) -> int:
    """Return a memory field of /proc/<pid>/status in kB (VmRSS, VmHWM: the high-water mark)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise BenchError(f"no {field} in /proc/{pid}/status: the memory figure needs Linux")


def peak_rss_kb(pid: int | str = "self") -> int:
    """Return a process's resident memory high-water mark (VmHWM) in kB."""
    return status_kb(pid, "VmHWM")
