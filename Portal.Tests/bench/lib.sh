# Shared by the benchmark scripts (sourced, not run): a throwaway work folder cleaned on exit, messages, free ports,
# and starting a Release Portal on a fresh SQLite folder. The caller sets `bench` and `root` first.

# bench_workdir NAME: a work folder in $work, removed on exit with the Portal and driver processes ($portal, $driver).
# A script that starts more processes defines bench_extra_cleanup.
bench_workdir() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  portal=""
  driver=""
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  if [ -n "$driver" ]; then kill "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true; fi
  if [ -n "$portal" ]; then kill "$portal" 2>/dev/null || true; wait "$portal" 2>/dev/null || true; fi
  if declare -F bench_extra_cleanup >/dev/null; then bench_extra_cleanup; fi
  rm -rf "$work"
}

say() { printf '== %s\n' "$*" >&2; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# start_portal [VAR=value ...]: Portal from $build on a free port with its data in $work/data and the bench API key;
# sets $endpoint and $portal, and waits until /healthz answers.
start_portal() {
  local port
  port=$(free_port)
  mkdir -p "$work/data"
  export AWS_ACCESS_KEY_ID=AKIABENCHPORTAL00001 AWS_SECRET_ACCESS_KEY=bench/secret/key/for/portal/bench/000000
  endpoint="http://127.0.0.1:$port"
  say "starting Portal on $endpoint (data in $work/data)"
  (cd "$root" && exec env "$@" Urls="$endpoint" Portal__PublicBaseUrl="$endpoint" Portal__Storage__DataFolder="$work/data" \
    Portal__Bootstrap__AdminPassword='Admin-Passw0rd!' \
    Portal__Api__AccessKeys__0__AccessKeyId="$AWS_ACCESS_KEY_ID" Portal__Api__AccessKeys__0__SecretAccessKey="$AWS_SECRET_ACCESS_KEY" \
    dotnet "$build/bin/Portal.Server/release/Portal.Server.dll") > "$work/portal.log" 2>&1 &
  portal=$!
  for _ in $(seq 1 240); do curl -sf "$endpoint/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
  if ! curl -sf "$endpoint/healthz" >/dev/null; then echo "Portal did not start:" >&2; cat "$work/portal.log" >&2; exit 1; fi
}
