#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal as the leader of a new session (the terminal is its
controlling terminal), feeds it input, and prints what it wrote to the terminal.

usage: pty-run.py [--send MARKER HEXBYTES]... [--timeout S] -- COMMAND ARGS...

Each --send waits until MARKER has appeared in the output (after the previous one), then writes the
bytes (given in hex) to the terminal. Output goes to stdout with \\r\\n turned into \\n; the exit
status is the command's (128 + N when a signal N ended it, 124 on timeout).
"""
import fcntl
import os
import select
import sys
import termios
import time


def main() -> int:
    args = sys.argv[1:]
    sends = []
    timeout = 30.0
    while args and args[0] != '--':
        if args[0] == '--send':
            sends.append((args[1].encode(), bytes.fromhex(args[2])))
            args = args[3:]
        elif args[0] == '--timeout':
            timeout = float(args[1])
            args = args[2:]
        else:
            raise SystemExit(f'pty-run: unknown option {args[0]}')
    cmd = args[1:]
    master, slave = os.openpty()
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        if slave > 2:
            os.close(slave)
        os.execvp(cmd[0], cmd)
    os.close(slave)
    out = b''
    seen = 0
    deadline = time.monotonic() + timeout
    status = None
    closed = False
    while True:
        if sends and sends[0][0] in out[seen:]:
            marker, data = sends.pop(0)
            seen = out.index(marker, seen) + len(marker)
            time.sleep(0.2)
            os.write(master, data)
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            if status is None:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            sys.stdout.buffer.write(out.replace(b'\r\n', b'\n'))
            print('\npty-run: timeout')
            return 124
        r = [] if closed else select.select([master], [], [], min(left, 0.1))[0]
        if r:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b''
            if data:
                out += data
                continue
            closed = True
        if status is None:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
            elif closed:
                time.sleep(0.05)
        if status is not None:
            # Drain what is left, then stop.
            try:
                while select.select([master], [], [], 0.05)[0]:
                    data = os.read(master, 65536)
                    if not data:
                        break
                    out += data
            except OSError:
                pass
            break
    sys.stdout.buffer.write(out.replace(b'\r\n', b'\n'))
    sys.stdout.flush()
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


sys.exit(main())
