#!/usr/bin/env python3
"""Load benchmark of `linkchart serve` on a generated graph.

Usage: python3 scripts/serve_load.py [--relations 1000000] [--clients 100]
                                     [--seconds 60] [--binary PATH]
                                     [--python-clients]

Builds the release binary (unless --binary is given), generates a graph of
--relations relations and a quarter as many entities (seed 1) in a
temporary directory, starts `linkchart serve --port 0` on it and measures,
in one run:

1. the path endpoint alone: 200 random pairs, one at a time (median, p90);
2. the most connected entity's neighbourhood with the explorer's cap
   (`limit=15`), 50 times (median);
3. --clients concurrent clients for --seconds seconds, each asking in turn
   for a route, a card and a capped neighbourhood of random entities over
   one kept-alive connection: requests, errors (any status but 200, or a
   failed connection), p50/p99/max latency, and the server's resident
   memory sampled every second (first, last, peak, ten points over the
   run, and the growth in each half).

Only the standard library is used. The concurrent clients of 3. are
scripts/load_client.rs (built with `rustc -O`), one OS thread and one
connection each: as Python threads (--python-clients) they wait for the
interpreter lock, and that wait became most of the tail once the server
got faster. Either way the clients share the machine with the server, so
the numbers are an upper bound on what the server takes.
"""
import argparse
import http.client
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def rss_kb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Client:
    def __init__(self, host, port):
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.host = f"{host}:{port}"

    def get(self, path, params):
        url = f"{path}?{urlencode(params, doseq=True)}"
        start = time.perf_counter()
        try:
            self.conn.request("GET", url, headers={"Host": self.host})
            resp = self.conn.getresponse()
            body = resp.read()
            status = resp.status
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(*self.host.split(":"), timeout=30)
            return time.perf_counter() - start, 0, b""
        return time.perf_counter() - start, status, body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--relations", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--binary")
    ap.add_argument("--python-clients", action="store_true",
                    help="run the concurrent clients as Python threads (as before load_client.rs)")
    args = ap.parse_args()

    binary = args.binary
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = str(ROOT / "target/release/linkchart")
    # The concurrent clients: scripts/load_client.rs, standard library only.
    load_client = str(Path(tempfile.gettempdir()) / "linkchart-load-client")
    if not args.python_clients:
        subprocess.run(["rustc", "-O", "--edition", "2024", str(ROOT / "scripts/load_client.rs"),
                        "-o", load_client], check=True)
    entities = max(2, args.relations // 4)
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(tmp) / "graph"
        t = time.perf_counter()
        subprocess.run(
            [binary, "generate", "--entities", str(entities), "--relations",
             str(args.relations), "--seed", "1", "--output", str(graph)],
            check=True, stdout=subprocess.DEVNULL,
        )
        print(f"generated {entities:,} entities, {args.relations:,} relations in {time.perf_counter() - t:.1f} s")
        stats = json.loads(subprocess.run(
            [binary, "--graph", str(graph), "stats", "--format", "json", "--top", "1"],
            check=True, capture_output=True, text=True,
            env={"LINKCHART_CACHE_DIR": str(Path(tmp) / "cache"), "PATH": "/usr/bin:/bin"},
        ).stdout)
        hub = stats["most_connected"][0]["id"]
        ids = [f"e{i:06d}" for i in range(entities)]

        t = time.perf_counter()
        server = subprocess.Popen(
            [binary, "--graph", str(graph), "serve", "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={"LINKCHART_CACHE_DIR": str(Path(tmp) / "cache"), "PATH": "/usr/bin:/bin"},
        )
        try:
            line = server.stdout.readline()
            url = next(w for w in line.split() if w.startswith("http://"))
            print(f"server up in {time.perf_counter() - t:.1f} s: {line.strip()}")
            u = urlparse(url)
            host, port = u.hostname, u.port

            one = Client(host, port)
            path_times = []
            for _ in range(200):
                a, b = rng.sample(ids, 2)
                dt, status, _ = one.get("/api/path", {"from": a, "to": b})
                if status == 200:
                    path_times.append(dt * 1000)
            hub_times = []
            for _ in range(50):
                dt, status, _ = one.get("/api/neighbours", {"name": hub, "limit": 15})
                if status == 200:
                    hub_times.append(dt * 1000)

            memory = []
            if args.python_clients:
                latencies, errors, lock = [], [0], threading.Lock()
                stop = time.perf_counter() + args.seconds

                def client(seed):
                    r = random.Random(seed)
                    c = Client(host, port)
                    mine, bad = [], 0
                    turn = 0
                    while time.perf_counter() < stop:
                        a, b = r.sample(ids, 2)
                        if turn % 3 == 0:
                            dt, status, _ = c.get("/api/path", {"from": a, "to": b})
                        elif turn % 3 == 1:
                            dt, status, _ = c.get("/api/card", {"name": a})
                        else:
                            dt, status, _ = c.get("/api/neighbours", {"name": a, "limit": 15})
                        turn += 1
                        mine.append(dt * 1000)
                        if status != 200:
                            bad += 1
                    with lock:
                        latencies.extend(mine)
                        errors[0] += bad

                threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
                for th in threads:
                    th.start()
                while any(th.is_alive() for th in threads):
                    memory.append(rss_kb(server.pid))
                    time.sleep(1)
                for th in threads:
                    th.join()
                summary = (len(latencies), errors[0], percentile(latencies, 50),
                           percentile(latencies, 99), max(latencies))
            else:
                clients = subprocess.Popen(
                    [load_client, host, str(port), str(args.clients), str(args.seconds),
                     str(entities), "1"],
                    stdout=subprocess.PIPE, text=True,
                )
                while clients.poll() is None:
                    memory.append(rss_kb(server.pid))
                    time.sleep(1)
                out = clients.stdout.read().split()
                if clients.returncode != 0 or len(out) != 5:
                    sys.exit(f"the load client failed: {' '.join(out)}")
                summary = (int(out[0]), int(out[1]), *map(float, out[2:]))
        finally:
            server.terminate()
            server.wait(timeout=30)

    print()
    print(f"path endpoint, {len(path_times)} random pairs one at a time: median {statistics.median(path_times):.1f} ms, p90 {percentile(path_times, 90):.1f} ms")
    print(f"hub neighbourhood ({hub}, limit 15), {len(hub_times)} times: median {statistics.median(hub_times):.1f} ms")
    requests, errors, p50, p99, slowest = summary
    who = "Python threads" if args.python_clients else "Rust clients"
    print(f"{args.clients} clients ({who}) for {args.seconds:.0f} s: {requests:,} requests, {errors} errors, "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {slowest:.1f} ms")
    mb = [m / 1024 for m in memory if m]
    if mb:
        print(f"server memory: first {mb[0]:.0f} MB, last {mb[-1]:.0f} MB, peak {max(mb):.0f} MB")
        # The curve, to tell growth that levels off from a leak: ten
        # points over the run, and what the second half added.
        step = max(1, len(mb) // 10)
        points = " ".join(f"{m:.0f}" for m in mb[::step])
        print(f"server memory every {step} s (MB): {points}")
        half = len(mb) // 2
        print(f"server memory growth in the second half: {mb[-1] - mb[half]:+.0f} MB "
              f"(first half: {mb[half] - mb[0]:+.0f} MB)")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
