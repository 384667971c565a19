#!/usr/bin/env bash
# Run a command against a throwaway Redis on a free loopback port, then stop it.
# Usage: scripts/with-redis.sh COMMAND...   (CACHE_URL is exported for the command: the shared cache is Redis)
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server not found (apt-get install redis-server)." >&2
  exit 2
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
dir=$(mktemp -d /tmp/shifan-redis.XXXXXX)
redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no --daemonize yes \
  --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
cleanup() {
  kill "$(cat "$dir/redis.pid" 2>/dev/null)" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
for _ in $(seq 50); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done

export CACHE_URL="redis://127.0.0.1:$port/0"
echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$port"
"$@"
