"""The parallel parse step (ingest/pipeline.py): order, a worker that dies, bounded memory, and
the real parse through it. No database."""
import os

from conftest import SEEDS

from ingest import pipeline


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
