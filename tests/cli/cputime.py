#!/usr/bin/python3
"""cputime.py -- run a command and measure the CPU time it uses after a wall-clock moment, robustly to load.

usage: cputime.py MARK CPU_LIMIT OUT ERR -- CMD...

Starts CMD (stdout to OUT, stderr to ERR) and prints one line, "exit E cpu C after A", once it has
ended: E its exit code (a death by a signal counts as 128 + the signal, as the shell reports it),
C the CPU seconds it used in all (user + system, every thread), A the CPU seconds it used after
MARK wall-clock seconds from its start.

This is how a wall-clock deadline inside the program is judged (a --time-limit): the program
stops by its own clock, so on a loaded machine it simply gets less CPU before it; what it does
past the deadline is work, and work is CPU time, which does not grow with the load as the wall
clock does. MARK is the deadline counted from the launch, a little before the program's own
(counted from when it started its clock), so A is never too small on that account. A is 0 when
the program ended before MARK, or before this poller (itself slowed by the load) noticed MARK
passing: the load can hide an overrun, never invent one.

A program that ignores its deadline is killed once its CPU passes CPU_LIMIT, or once it outlives
the wall-clock guard (ENT_CPUTIME_WALL, default 300 s); then the line says "killed: ..." and the
exit code is 1. Exits 0 otherwise.
"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interrupt import cpu_of  # noqa: E402  (the same /proc reading)


def main(argv):
    if len(argv) < 6 or argv[4] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    mark, cpu_limit, out, err, cmd = float(argv[0]), float(argv[1]), argv[2], argv[3], argv[5:]
    wall_limit = float(os.environ.get("ENT_CPUTIME_WALL", "300"))
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(cmd, stdout=fo, stderr=fe)
    pid = proc.pid
    t0 = time.monotonic()
    cpu_mark = None
    while True:
        wpid, status, ru = os.wait4(pid, os.WNOHANG)
        if wpid == pid:
            break
        now = cpu_of(pid)
        if cpu_mark is None and now is not None and time.monotonic() - t0 >= mark:
            cpu_mark = now
        killed = None
        if now is not None and now > cpu_limit:
            killed = "killed: %.2f s of CPU, past the limit of %.1f s" % (now, cpu_limit)
        elif time.monotonic() - t0 > wall_limit:
            killed = "killed: still running after %.0f s (guard)" % wall_limit
        if killed:
            os.kill(pid, signal.SIGKILL)
            os.wait4(pid, 0)
            proc.returncode = -signal.SIGKILL  # reaped by wait4: keep Popen from waiting again
            print(killed)
            return 1
        time.sleep(0.01)
    cpu = ru.ru_utime + ru.ru_stime
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by wait4: keep Popen from waiting again
    code = 128 - code if code < 0 else code
    after = cpu - cpu_mark if cpu_mark is not None else 0.0
    print("exit %d cpu %.2f after %.2f" % (code, cpu, max(after, 0.0)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
