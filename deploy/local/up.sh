#!/usr/bin/env bash
# Starts the whole system on this machine, in the foreground: the control API (embedded H2 database), one edge and
# one compositor. Builds what is needed first. Ctrl-C stops everything. Data (streams, compositions, keys, the admin
# token) lives in deploy/local/.data and survives restarts. A Prometheus of your own reads the control API's
# /q/metrics with the token in deploy/local/.data/metrics-token (it may read the metrics and nothing else).
#
#   deploy/local/up.sh           start
#   deploy/local/up.sh --demo    also start a synthetic publisher on the demo stream (no OBS needed)
#
# Prints DASHBOARD:, TOKEN:, OBS: and WATCH: lines for people and scripts. Heap limits (java -Xmx) per process:
# STREAMLOOM_API_HEAP (default 512m), STREAMLOOM_EDGE_HEAP and STREAMLOOM_COMPOSITOR_HEAP (default 1g each).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DATA="${STREAMLOOM_DATA:-$ROOT/deploy/local/.data}"
API_PORT="${STREAMLOOM_API_PORT:-8080}"
EDGE_RTMP="${STREAMLOOM_EDGE_RTMP_PORT:-1935}"
EDGE_HTTP="${STREAMLOOM_EDGE_HTTP_PORT:-8081}"
COMP_RTMP="${STREAMLOOM_COMPOSITOR_RTMP_PORT:-1936}"
COMP_HTTP="${STREAMLOOM_COMPOSITOR_HTTP_PORT:-8082}"
HOST="${STREAMLOOM_PUBLIC_HOST:-localhost}"
# Without a limit each JVM takes up to a quarter of the machine's memory as heap (6 GiB each on 24 GiB). Pictures
# live outside the heap (FFmpeg's buffers), so a node's heap stays small; see the README for memory per stream.
API_HEAP="${STREAMLOOM_API_HEAP:-512m}"
EDGE_HEAP="${STREAMLOOM_EDGE_HEAP:-1g}"
COMP_HEAP="${STREAMLOOM_COMPOSITOR_HEAP:-1g}"
DEMO=0

# This script's own lines carry the time as the processes' logs do: ISO-8601 in UTC.
log() { echo "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ) $*"; }
fail() { log "$*" >&2; }

for arg in "$@"; do
  case "$arg" in
    --demo) DEMO=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) fail "unknown option: $arg (try --help)"; exit 2 ;;
  esac
done
for heap in "$API_HEAP" "$EDGE_HEAP" "$COMP_HEAP"; do
  if ! [[ "$heap" =~ ^[1-9][0-9]*[kKmMgG]$ ]]; then
    fail "heap size '$heap' is not a java -Xmx size such as 512m or 2g (STREAMLOOM_*_HEAP)"
    exit 2
  fi
done

mkdir -p "$DATA/logs"
cd "$ROOT"

# A port already taken (often a previous run still alive) would make us talk to the wrong process: refuse early.
for port in "$API_PORT" "$EDGE_RTMP" "$EDGE_HTTP" "$COMP_RTMP" "$COMP_HTTP"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is already in use (an earlier up.sh still running?); stop it or set STREAMLOOM_*_PORT"
    exit 1
  fi
done

# System libraries JavaCV's FFmpeg links but does not bundle (libavdevice): without them the first frame fails with an
# UnsatisfiedLinkError. Install them when we can (root with apt-get), otherwise say exactly what to install.
missing_libs=()
for lib in libpulse.so.0:libpulse0 libasound.so.2:libasound2 libxcb.so.1:libxcb1 libxcb-shm.so.0:libxcb-shm0; do
  ldconfig -p 2>/dev/null | grep -q "${lib%%:*} " || missing_libs+=("${lib##*:}")
done
if [ ${#missing_libs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "Installing system libraries FFmpeg needs: ${missing_libs[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_libs[@]}" >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_libs[@]}" >/dev/null; }
  else
    fail "FFmpeg needs system libraries that are missing: sudo apt-get install ${missing_libs[*]}"
    exit 1
  fi
fi

API_JAR=control-api/target/quarkus-app/quarkus-run.jar
EDGE_JAR=edge-transcoder/target/edge-transcoder.jar
COMP_JAR=cloud-compositor/target/cloud-compositor.jar

# Build when a jar is missing or any source is newer than it.
needs_build=0
for jar in "$API_JAR" "$EDGE_JAR" "$COMP_JAR"; do
  [ -f "$jar" ] || needs_build=1
done
if [ $needs_build -eq 0 ] && [ -n "$(find media-spec media edge-transcoder cloud-compositor control-api pom.xml \
     -path '*/target' -prune -o -path '*/node_modules' -prune -o -type f -newer "$API_JAR" -print -quit)" ]; then
  needs_build=1
fi
if [ $needs_build -eq 1 ]; then
  log "Building (first start or sources changed)…"
  ./mvnw -B -q -DskipTests package -pl control-api,edge-transcoder,cloud-compositor -am
fi

# Tokens are made once and kept, so a restart keeps working with the same dashboard login and node credentials.
token_file() {
  local f="$DATA/$1"
  if [ ! -s "$f" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$f")
  fi
  cat "$f"
}
ADMIN_TOKEN="$(token_file admin-token)"
NODE_TOKEN="$(token_file node-token)"
METRICS_TOKEN="$(token_file metrics-token)"

pids=()
names=()
started() { pids+=("$1"); names+=("$2"); }
cleanup() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] || return 0
  echo
  log "Stopping…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  log "Stopped."
}
# Ctrl-C and kill stop everything and end the script there (the watch loop below must not run on afterwards).
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT

wait_http() { # url seconds name
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      fail "$3 did not come up within $2 s; see $DATA/logs/"
      exit 1
    fi
    sleep 0.5
  done
}

STREAMLOOM_DATA="$DATA" STREAMLOOM_ADMIN_TOKEN="$ADMIN_TOKEN" STREAMLOOM_NODE_TOKEN="$NODE_TOKEN" \
STREAMLOOM_METRICS_TOKEN="$METRICS_TOKEN" STREAMLOOM_PUBLIC_HOST="$HOST" QUARKUS_HTTP_PORT="$API_PORT" \
STREAMLOOM_PUBLIC_RTMP_URL="rtmp://$HOST:$EDGE_RTMP/live" STREAMLOOM_PUBLIC_HLS_URL="http://$HOST:$EDGE_HTTP/hls" \
  java "-Xmx$API_HEAP" -jar "$API_JAR" >> "$DATA/logs/control-api.log" 2>&1 &
started $! "the control API (logs/control-api.log)"
wait_http "http://127.0.0.1:$API_PORT/q/health/ready" 90 "control API"

# The nodes enrol with the join token (STREAMLOOM_NODE_TOKEN) and keep their own credentials in $DATA (mode 0600).
node_env=(STREAMLOOM_CONTROL_URL="http://127.0.0.1:$API_PORT" STREAMLOOM_NODE_TOKEN="$NODE_TOKEN"
  STREAMLOOM_DATA="$DATA" STREAMLOOM_ADVERTISE_HOST=127.0.0.1 STREAMLOOM_PUBLIC_HOST="$HOST")
env "${node_env[@]}" STREAMLOOM_RTMP_PORT="$EDGE_RTMP" STREAMLOOM_HTTP_PORT="$EDGE_HTTP" \
  java "-Xmx$EDGE_HEAP" -jar "$EDGE_JAR" >> "$DATA/logs/edge.log" 2>&1 &
started $! "the edge (logs/edge.log)"
env "${node_env[@]}" STREAMLOOM_RTMP_PORT="$COMP_RTMP" STREAMLOOM_HTTP_PORT="$COMP_HTTP" \
  java "-Xmx$COMP_HEAP" -jar "$COMP_JAR" >> "$DATA/logs/compositor.log" 2>&1 &
started $! "the compositor (logs/compositor.log)"
wait_http "http://127.0.0.1:$EDGE_HTTP/healthz" 60 "edge"
wait_http "http://127.0.0.1:$COMP_HTTP/healthz" 60 "compositor"

# A ready stream named "demo". Its key is shown only once by the API, so we keep it in the data folder; if the
# stream exists but the key file is gone, we rotate the key.
api() { curl -fsS -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' "$@"; }
json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get(sys.argv[1]) or "")' "$1"; }
demo_id="$(api "http://127.0.0.1:$API_PORT/api/v1/streams" \
  | python3 -c 'import json,sys; print(next((s["id"] for s in json.load(sys.stdin) if s["spec"]["name"]=="demo"), ""))')"
if [ -z "$demo_id" ]; then
  created="$(api -X POST "http://127.0.0.1:$API_PORT/api/v1/streams" -d '{"name":"demo","stages":[{"type":"text","text":"{stream} {time}"}]}')"
  (umask 077; echo "$created" | json_field streamKey > "$DATA/demo-key")
  demo_id="$(echo "$created" | json_field id)"
elif [ ! -s "$DATA/demo-key" ]; then
  (umask 077; api -X POST "http://127.0.0.1:$API_PORT/api/v1/streams/$demo_id/rotate-key" | json_field streamKey > "$DATA/demo-key")
fi
chmod 600 "$DATA/demo-key"
DEMO_KEY="$(cat "$DATA/demo-key")"

if [ $DEMO -eq 1 ]; then
  # The key is read from its file: on the command line, ps would show it to every user.
  java -Xmx256m -cp "$EDGE_JAR" com.streamloom.edge.DemoPublisher "rtmp://127.0.0.1:$EDGE_RTMP/live" "$DATA/demo-key" \
    >> "$DATA/logs/demo-publisher.log" 2>&1 &
  started $! "the demo publisher (logs/demo-publisher.log)"
fi

echo "DASHBOARD: http://$HOST:$API_PORT/"
echo "TOKEN: $ADMIN_TOKEN"
echo "OBS: server=rtmp://$HOST:$EDGE_RTMP/live key=$DEMO_KEY"
echo "WATCH: http://$HOST:$EDGE_HTTP/hls/demo/index.m3u8"
log "Logs in $DATA/logs; the metrics token (GET /q/metrics only) in $DATA/metrics-token. Ctrl-C stops everything."

# Stay in the foreground until Ctrl-C, or until any process dies (then stop the rest and say which).
while true; do
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      fail "${names[$i]} exited unexpectedly (pid ${pids[$i]}); see $DATA/logs/. Stopping the rest."
      exit 1
    fi
  done
  sleep 1
done
