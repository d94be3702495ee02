#!/usr/bin/python3
"""interrupt.py -- run a command, signal it, and judge how promptly it stops, robustly to load.

usage: interrupt.py SIG DELAY WANT OUT ERR -- CMD...

Starts CMD (stdout to OUT, stderr to ERR), waits DELAY -- wall seconds ("1.5"), or CPU seconds the
process has consumed ("cpu:4": it is in its loop however loaded the machine is), optionally counted
from the moment ERR first holds a marker line ("after=refitting;cpu:1": that phase has begun) --
and sends SIG (INT or TERM). The promise under test is that the process stops within about a second of work:
what is measured is the CPU time it consumes after the signal (its rusage at exit minus its
/proc CPU time at the signal), which does not grow when the machine is loaded, as wall-clock time
does. It fails when that exceeds the CPU limit (ENT_INTERRUPT_CPU, default 2 s: up to two threads
finishing their step) -- a process that ignores the signal is killed as soon as it crosses it --
when the process is still alive after the wall-clock guard (ENT_INTERRUPT_WALL, default 120 s: a
process that ignores the signal while blocked), or when its exit code is not WANT (a death by a
signal counts as 128 + the signal, as the shell reports it).

Prints one line, "ok: ..." or what went wrong; exits 0 (passed), 1 (failed), 3 (ended before the
signal: make the case longer).
"""
import os
import signal
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid):
    """CPU seconds (user + system, every thread) of a live process, or None once it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime: fields 14 and 15 of stat(5)


def main(argv):
    if len(argv) < 7 or argv[5] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    sig = getattr(signal, "SIG" + argv[0])
    delay, want, out, err, cmd = argv[1], int(argv[2]), argv[3], argv[4], argv[6:]
    cpu_limit = float(os.environ.get("ENT_INTERRUPT_CPU", "2.0"))
    wall_limit = float(os.environ.get("ENT_INTERRUPT_WALL", "120"))
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(cmd, stdout=fo, stderr=fe)
    pid = proc.pid
    t_start = time.monotonic()
    base = 0.0
    if delay.startswith("after="):
        marker, delay = delay[6:].rsplit(";", 1)
        while proc.poll() is None:
            with open(err, "rb") as f:
                if marker.encode() in f.read():
                    break
            if time.monotonic() - t_start > wall_limit:
                proc.kill()
                proc.wait()
                print("no '%s' on stderr in %.0f s" % (marker, wall_limit))
                return 1
            time.sleep(0.02)
        base = cpu_of(pid) or 0.0
    if delay.startswith("cpu:"):
        need = base + float(delay[4:])
        while (c := cpu_of(pid)) is not None and c < need and proc.poll() is None:
            if time.monotonic() - t_start > wall_limit:
                proc.kill()
                proc.wait()
                print("never reached %.1f s of CPU in %.0f s" % (need, wall_limit))
                return 1
            time.sleep(0.02)
    else:
        time.sleep(float(delay))
    cpu0 = cpu_of(pid)
    if proc.poll() is not None or cpu0 is None:
        proc.wait()
        print("ended (exit %d) before the signal after %s: make the case longer" % (proc.returncode, delay))
        return 3
    t0 = time.monotonic()
    os.kill(pid, sig)
    killed = None
    while True:
        wpid, status, ru = os.wait4(pid, os.WNOHANG)
        if wpid == pid:
            break
        now = cpu_of(pid)
        if now is not None and now - cpu0 > cpu_limit:
            killed = "still running after %.2f s of CPU past the signal (limit %.1f s)" % (now - cpu0, cpu_limit)
        elif time.monotonic() - t0 > wall_limit:
            killed = "still running %.0f s after the signal (guard %.0f s)" % (time.monotonic() - t0, wall_limit)
        if killed:
            os.kill(pid, signal.SIGKILL)
            os.wait4(pid, 0)
            print(killed)
            return 1
        time.sleep(0.01)
    wall = time.monotonic() - t0
    cpu = ru.ru_utime + ru.ru_stime - cpu0
    code = os.waitstatus_to_exitcode(status)
    code = 128 - code if code < 0 else code
    proc.returncode = code  # reaped by wait4: keep Popen from waiting again
    facts = "exit %d, %.2f s of CPU and %.2f s of wall clock after SIG%s" % (code, cpu, wall, argv[0])
    if code != want:
        print("%s; wanted exit %d" % (facts, want))
        return 1
    if cpu > cpu_limit:
        print("%s; CPU limit %.1f s" % (facts, cpu_limit))
        return 1
    print("ok: " + facts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
