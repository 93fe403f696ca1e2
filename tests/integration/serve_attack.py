#!/usr/bin/env python3
"""Hostile clients for `archml serve` on loopback, bounded in count and time.

  serve_attack.py --port P [--slow N] [--flood M] [--seconds S] [--pid PID] [--ping]

--slow N    slowloris: N connections, each sending a request's header one byte at a time
            (a byte every --byte-interval seconds), reopened when the server closes them.
--flood M   connection flood: M connections that connect and send nothing, reopened when
            the server closes them (at most --reopen-rate per second in all).
--ping      a well-behaved client: one keep-alive connection, opened before the attack,
            sends GET /ping every --ping-interval seconds and times each answer.
--pid PID   the server's process: its CPU seconds (user + system) over the attack.

Prints one JSON object: the attack's counts (connections opened, closed by the server,
503s, 408s seen), the server's CPU seconds, and the pings' count, failures, p50/p99/max
in milliseconds. Everything is non-blocking in one thread, so the attacker itself costs
little CPU.
"""
import argparse
import json
import os
import resource
import selectors
import socket
import time


def cpu_seconds(pid):
    if not pid:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Attacker:
    def __init__(self, port, slow, flood, byte_interval, reopen_rate):
        self.port = port
        self.byte_interval = byte_interval
        self.reopen_rate = reopen_rate
        self.selector = selectors.DefaultSelector()
        self.counts = {"opened": 0, "open_failed": 0, "closed_by_server": 0, "answers_503": 0,
                       "answers_408": 0, "bytes_trickled": 0}
        self.wanted = {"slow": slow, "flood": flood}
        self.open = {"slow": 0, "flood": 0}
        self.reopen_budget = 0.0
        self.last_step = None
        self.header = b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: " + b"a" * 4000

    def connect(self, kind, now):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", self.port))
        except BlockingIOError:
            pass
        except OSError:
            self.counts["open_failed"] += 1
            s.close()
            return False
        state = {"kind": kind, "sent": 0, "next": now + self.byte_interval, "got": b""}
        self.selector.register(s, selectors.EVENT_READ, state)
        self.counts["opened"] += 1
        self.open[kind] += 1
        return True

    def top_up(self, now, initial=False):
        for kind in ("slow", "flood"):
            while self.open[kind] < self.wanted[kind]:
                if not initial:
                    if self.reopen_budget < 1:
                        return
                    self.reopen_budget -= 1
                if not self.connect(kind, now):
                    return

    def drop(self, sock, state):
        self.selector.unregister(sock)
        sock.close()
        self.open[state["kind"]] -= 1

    def on_readable(self, sock, state):
        try:
            data = sock.recv(65536)
        except (ConnectionError, OSError):
            data = b""
        if data:
            state["got"] += data
            return
        got = state["got"]
        if got.startswith(b"HTTP/1.1 503"):
            self.counts["answers_503"] += 1
        elif got.startswith(b"HTTP/1.1 408"):
            self.counts["answers_408"] += 1
        self.counts["closed_by_server"] += 1
        self.drop(sock, state)

    def trickle(self, now):
        for key in list(self.selector.get_map().values()):
            state = key.data
            if state["kind"] != "slow" or now < state["next"]:
                continue
            state["next"] = now + self.byte_interval
            if state["sent"] >= len(self.header):
                continue
            try:
                sent = key.fileobj.send(self.header[state["sent"]:state["sent"] + 1])
                state["sent"] += sent
                self.counts["bytes_trickled"] += sent
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                pass  # reset: the read side reports the close

    def step(self, now, timeout):
        for key, _ in self.selector.select(timeout):
            self.on_readable(key.fileobj, key.data)
        self.trickle(now)
        # Reopening is paced by the clock: at most reopen_rate a second, a burst of 10.
        elapsed = now - self.last_step if self.last_step else 0
        self.last_step = now
        self.reopen_budget = min(self.reopen_budget + self.reopen_rate * elapsed, 10)
        self.top_up(now)


class Pinger:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(5)
        self.latencies = []
        self.failures = 0

    def ping(self):
        start = time.perf_counter()
        try:
            self.sock.sendall(b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            got = b""
            while b"\r\n\r\n" not in got:
                chunk = self.sock.recv(4096)
                if not chunk:
                    raise ConnectionError("closed")
                got += chunk
            if not got.startswith(b"HTTP/1.1 200"):
                raise ConnectionError(got[:40])
            self.latencies.append((time.perf_counter() - start) * 1000)
        except (OSError, ConnectionError):
            self.failures += 1


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--slow", type=int, default=0)
    parser.add_argument("--flood", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--byte-interval", type=float, default=0.5)
    parser.add_argument("--reopen-rate", type=float, default=200)
    parser.add_argument("--pid", type=int, default=0)
    parser.add_argument("--ping", action="store_true")
    parser.add_argument("--ping-interval", type=float, default=0.02)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.slow + args.flood + 64
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, need), hard))

    pinger = Pinger(args.port) if args.ping else None
    if pinger:
        pinger.ping()  # the connection is accepted and served before the attack
        pinger.latencies.clear()
    attacker = Attacker(args.port, args.slow, args.flood, args.byte_interval, args.reopen_rate)
    cpu_before = cpu_seconds(args.pid)
    start = time.monotonic()
    attacker.top_up(start, initial=True)
    next_ping = start
    while True:
        now = time.monotonic()
        if now - start >= args.seconds:
            break
        if pinger and now >= next_ping:
            pinger.ping()
            next_ping = now + args.ping_interval
        attacker.step(now, 0.005)
    cpu = cpu_seconds(args.pid) - cpu_before
    elapsed = time.monotonic() - start
    report = dict(attacker.counts)
    report.update(seconds=round(elapsed, 3), server_cpu_seconds=round(cpu, 3),
                  open_at_end=attacker.open)
    if pinger:
        report.update(pings=len(pinger.latencies), ping_failures=pinger.failures,
                      ping_p50_ms=percentile(pinger.latencies, 50),
                      ping_p99_ms=percentile(pinger.latencies, 99),
                      ping_max_ms=max(pinger.latencies, default=None))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
