"""The parallel parse step (ingest/parse/pipeline.py): order, a worker that dies, bounded memory, and
the real parse through it. No database."""
import os

from conftest import SEEDS
from ingest.parse import pipeline


def square_or_die(n: int) -> int:
    if n == 13:
        os._exit(9)   # as a segfault in a native reader, or the out-of-memory killer, would
    return n * n


def test_results_come_in_input_order_across_workers():
    got = list(pipeline.run(square_or_die, range(100, 150), 2, died=lambda n: None))
    assert got == [(n, n * n) for n in range(100, 150)]


def test_a_file_that_kills_its_worker_costs_only_itself():
    got = dict(pipeline.run(square_or_die, range(40), 2, died=lambda n: "died"))
    assert got[13] == "died"
    assert all(got[n] == n * n for n in range(40) if n != 13) and len(got) == 40


def test_only_a_window_of_files_is_in_flight():
    pulled = []

    def numbers():
        for n in range(10_000):
            pulled.append(n)
            yield n

    results = pipeline.run(square_or_die, (n + 100 for n in numbers()), 2, died=lambda n: None)
    next(results)
    assert len(pulled) <= 2 * pipeline.WINDOW_PER_JOB * pipeline.CHUNK + pipeline.CHUNK
    results.close()


def test_parallel_parse_equals_parse_in_process():
    from ingest.parse import parse_json

    one = [row for _, row in pipeline.run(parse_json, SEEDS, 1, died=lambda p: None)]
    two = [row for _, row in pipeline.run(parse_json, SEEDS, 2, died=lambda p: None)]
    assert one == two and all("metrics" in row for row in two)


PARENT = """
import os, socket, sys, time
from ingest.parse import pipeline
held = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)   # stands for the lock's connection

def pid_and_sockets(n):
    time.sleep(0.2)
    fds = [fd for fd in os.listdir('/proc/self/fd') if os.path.exists(f'/proc/self/fd/{fd}')]
    return os.getpid(), sum(1 for fd in fds if os.readlink(f'/proc/self/fd/{fd}').startswith('socket:'))

for _, (pid, sockets) in pipeline.run(pid_and_sockets, range(1000), 2, died=lambda n: None):
    print(pid, sockets, flush=True)
"""


def test_workers_die_with_a_parent_killed_9_and_hold_none_of_its_sockets():
    """A worker outliving `kill -9` of its parent kept the parent's database connection, and so the
    warehouse lock, for ever: the next ingest waited without end."""
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    seen = [proc.stdout.readline().split() for _ in range(6)]
    workers = {int(pid) for pid, _ in seen}
    assert len(workers) == 2 and all(sockets == "0" for _, sockets in seen)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while workers and time.monotonic() < deadline:
        workers = {pid for pid in workers if os.path.exists(f"/proc/{pid}") and
                   open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0] != "Z"}
        time.sleep(0.1)
    assert not workers
