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

# bench_setup NAME: the work folder (bench_workdir NAME) and the build folder ($build from --build-dir, else $work/build).
bench_setup() {
  bench_workdir "$1"
  [ -n "$build" ] || build="$work/build"
}

# bench_npm_ci: npm ci here (the SDK v3 and the drivers' packages) on first use or after package-lock.json changed.
bench_npm_ci() {
  if [ ! -d "$bench/node_modules" ] || [ "$bench/package-lock.json" -nt "$bench/node_modules" ]; then
    say "npm ci (SDK v3)"
    (cd "$bench" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}

# bench_build_server: Portal.Server in Release into $build, unless that build is already there.
bench_build_server() {
  if [ ! -f "$build/bin/Portal.Server/release/Portal.Server.dll" ]; then
    say "build (Release) into $build"
    (cd "$root" && dotnet build Portal.Server/Portal.Server.csproj -c Release --nologo -v q -clp:ErrorsOnly --artifacts-path "$build") >&2
  fi
}

# run_driver COMMAND...: runs the measuring driver in the background and waits for it, so that a signal to the script
# is handled at once (the EXIT trap then stops the driver, Portal and anything else started).
run_driver() {
  "$@" &
  driver=$!
  wait "$driver"
  driver=""
}
