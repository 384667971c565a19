"""The benchmarks' shared harness (bench/server.py): what wrk prints becomes the rows' numbers."""

from __future__ import annotations

import pytest

from bench.server import _parse_wrk, pooled

WRK_OUT = """Running 1s test @ http://127.0.0.1:8000/accounts/login/
  2 threads and 8 connections
  {n} requests in 1.00s, 4.10MB read
Requests/sec:  {rps}
BENCH requests={n} duration_us={us} socket_errors=0 status_errors=0 p50_us=9000 p90_us={p90} p95_us={p95} p99_us=40000
"""


def test_a_run_gives_its_rate_requests_time_and_percentiles():
    run = _parse_wrk(WRK_OUT.format(n=800, rps="800.00", us=1_000_000, p90=20000, p95=25000))
    assert run == {"rps": 800.0, "requests": 800, "seconds": 1.0, "p50_ms": 9.0, "p90_ms": 20.0, "p95_ms": 25.0, "p99_ms": 40.0}


def test_slices_pool_their_requests_over_their_time_and_keep_the_slowest_percentiles():
    fast = _parse_wrk(WRK_OUT.format(n=900, rps="900.00", us=1_000_000, p90=15000, p95=18000))
    slow = _parse_wrk(WRK_OUT.format(n=300, rps="300.00", us=1_000_000, p90=50000, p95=60000))
    both = pooled([fast, slow, fast])
    assert both["rps"] == pytest.approx(2100 / 3)  # not the best slice's 900, nor the mean of the rates by chance
    assert (both["requests"], both["seconds"]) == (2100, 3.0)
    assert (both["p90_ms"], both["p95_ms"]) == (50.0, 60.0)
    uneven = pooled([fast, _parse_wrk(WRK_OUT.format(n=100, rps="50.00", us=2_000_000, p90=1, p95=1))])
    assert uneven["rps"] == pytest.approx(1000 / 3)  # requests over time, not the mean of 900 and 50


def test_a_run_with_errors_is_refused():
    out = WRK_OUT.format(n=10, rps="10.00", us=1_000_000, p90=1, p95=1).replace("status_errors=0", "status_errors=2")
    with pytest.raises(RuntimeError, match="errors"):
        _parse_wrk(out)
