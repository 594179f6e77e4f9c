#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on 127.0.0.1 for tests and
# benchmarks, and prints DATABASE_URL=... (or writes that line to the
# file given as the first argument).
#
#   export "$(scripts/start-postgres.sh)"       # into this shell
#   scripts/start-postgres.sh /tmp/pg.env       # write the line to a file
#
# The cluster lives in a fresh temp dir, owned by the `postgres` OS user
# when run as root (PostgreSQL refuses to run as root). Stop it with the
# command printed on stderr; the temp dir can then be deleted.
set -euo pipefail

out_file="${1:-}"

find_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

bindir="$(find_bindir || true)"
if [ -z "$bindir" ]; then
  echo "start-postgres: installing PostgreSQL (apt-get install -y postgresql)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bindir="$(find_bindir)"
fi

# A free TCP port on 127.0.0.1, chosen by the kernel.
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"

base="$(mktemp -d /tmp/tasklab-pg.XXXXXX)"
data="$base/data"
log="$base/server.log"
run_as=()
if [ "$(id -u)" = "0" ]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home postgres
  fi
  chown postgres "$base"
  chmod 700 "$base"
  run_as=(runuser -u postgres --)
fi

"${run_as[@]}" "$bindir/initdb" -D "$data" -U postgres -A trust \
  --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$base -c max_connections=200" \
  start >/dev/null

for _ in $(seq 1 60); do
  if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
"$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"

"$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres tasklab

url="postgres://postgres@127.0.0.1:$port/tasklab"
echo "start-postgres: ready at $url; stop with: ${run_as[*]} $bindir/pg_ctl -D $data stop -m fast && rm -rf $base" >&2
if [ -n "$out_file" ]; then
  echo "DATABASE_URL=$url" >"$out_file"
else
  echo "DATABASE_URL=$url"
fi
