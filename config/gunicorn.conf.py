"""gunicorn's settings, one file for `make run`, the benchmarks (bench/server.py) and a deployment:
`gunicorn -c config/gunicorn.conf.py config.wsgi:application --bind …` (options given on the command line win,
e.g. `--workers 4` on a bigger machine)."""

# Two processes of four threads: a long request (a roster import, a batch of papers) holds one thread, not a process.
workers = 2
threads = 4

# Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new connections over them. With one
# shared socket, the worker that wakes first accepts: kept-alive connections (nginx's upstream pool, a benchmark's
# eight) can pile up on one worker, whose four threads then share one interpreter lock while the other worker idles.
# On a 2-core machine the login page served ~330 or ~1,000 requests a second from one 2-second run to the next
# (8 connections); with a socket per worker, 760-1,140, as steady as one thread per worker (bench/server.py).
reuse_port = True
