#!/usr/bin/env bash
# Soak test of the packaged edge: a standalone edge (edge-transcoder/target/edge-transcoder.jar, built if missing)
# transcodes N streams published by ffmpeg CLI processes for a number of minutes. Every sample interval it prints one
# line: heap used after a full GC, resident memory (VmRSS), native memory committed (NMT summary less the Java heap),
# open files, and each stream's HLS media sequence (which must keep advancing). At the end, a verdict: the growth of each measure from
# the baseline minute to the end, in percent; the goal is less than 5 %.
#
#   deploy/soak/soak.sh                                  60 minutes, 4 streams of 640x360 at 25 fps, baseline minute 10
#   deploy/soak/soak.sh --minutes=5 --baseline=2         a short check that it works
#   options: --minutes=N --baseline=M --streams=N --size=WxH --fps=N --sample-seconds=S
#
# Environment: STREAMLOOM_EDGE_HEAP (java -Xmx of the edge, default 1g), FFMPEG (default: ffmpeg on the PATH, else the
# program JavaCV ships). Exit code 0 when every measure grew less than 5 %, 1 when one did or a stream stopped, 2 for
# bad options. Loopback only: the edge listens on 127.0.0.1 on free ports.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MINUTES=60
BASELINE=10
STREAMS=4
SIZE=640x360
FPS=25
SAMPLE_SECONDS=60
HEAP="${STREAMLOOM_EDGE_HEAP:-1g}"
GOAL_PERCENT=5

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }
fail() { log "$*" >&2; exit 2; }

for arg in "$@"; do
  case "$arg" in
    --minutes=*) MINUTES="${arg#*=}" ;;
    --baseline=*) BASELINE="${arg#*=}" ;;
    --streams=*) STREAMS="${arg#*=}" ;;
    --size=*) SIZE="${arg#*=}" ;;
    --fps=*) FPS="${arg#*=}" ;;
    --sample-seconds=*) SAMPLE_SECONDS="${arg#*=}" ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) fail "unknown option: $arg (try --help)" ;;
  esac
done
for n in MINUTES BASELINE STREAMS FPS SAMPLE_SECONDS; do
  [[ "${!n}" =~ ^[1-9][0-9]*$ ]] || fail "--$(echo "$n" | tr 'A-Z_' 'a-z-')=${!n} is not a positive whole number"
done
[[ "$SIZE" =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || fail "--size=$SIZE is not WIDTHxHEIGHT"
[[ "$HEAP" =~ ^[1-9][0-9]*[kKmMgG]$ ]] || fail "STREAMLOOM_EDGE_HEAP=$HEAP is not a java -Xmx size such as 1g"
[ "$BASELINE" -lt "$MINUTES" ] || fail "--baseline=$BASELINE must be before the end (--minutes=$MINUTES)"

cd "$ROOT"
EDGE_JAR=edge-transcoder/target/edge-transcoder.jar
if [ ! -f "$EDGE_JAR" ]; then
  log "Building the edge…"
  ./mvnw -B -q -DskipTests package -pl edge-transcoder -am
fi
WORK="$(mktemp -d /tmp/streamloom-soak.XXXXXX)"
# The edge runs from a copy, so a build during the soak cannot change its jars under it.
mkdir -p "$WORK/edge"
cp -r "$EDGE_JAR" edge-transcoder/target/lib "$WORK/edge/"
EDGE_JAR="$WORK/edge/edge-transcoder.jar"
if [ -z "${FFMPEG:-}" ]; then
  FFMPEG="$(command -v ffmpeg || java -cp "$WORK/edge/lib/*" deploy/soak/ShippedFfmpeg.java)"
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RTMP_PORT="$(free_port)"
HTTP_PORT="$(free_port)"

# One keyed stream per publisher, each with a text stage (a real per-frame stage) and 2 s segments.
keys=()
{
  echo '{"bindHost": "127.0.0.1", "advertiseHost": "127.0.0.1", "streams": ['
  for i in $(seq 1 "$STREAMS"); do
    key="$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    keys+=("$key")
    [ "$i" -gt 1 ] && echo ','
    echo "{\"key\": \"$key\", \"spec\": {\"name\": \"soak$i\", \"stages\": [{\"type\": \"text\", \"text\": \"{stream} {time}\"}], \"output\": {\"segmentSeconds\": 2}}}"
  done
  echo ']}'
} > "$WORK/edge.json"
chmod 600 "$WORK/edge.json"

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "$WORK/edge.json"   # the keys; the logs stay for a look afterwards
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

STREAMLOOM_RTMP_PORT="$RTMP_PORT" STREAMLOOM_HTTP_PORT="$HTTP_PORT" \
  java "-Xmx$HEAP" -XX:+UseG1GC -XX:NativeMemoryTracking=summary -jar "$EDGE_JAR" --config "$WORK/edge.json" \
  > "$WORK/edge.log" 2>&1 &
EDGE_PID=$!
pids+=("$EDGE_PID")
deadline=$((SECONDS + 90))
until curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/healthz" 2>/dev/null; do
  kill -0 "$EDGE_PID" 2>/dev/null || { tail -20 "$WORK/edge.log" >&2; fail "the edge exited at start"; }
  [ $SECONDS -lt $deadline ] || fail "the edge did not answer /healthz within 90 s"
  sleep 1
done

# Publishers: the lavfi test pattern and a tone, H.264 + AAC in FLV, in real time (-re), as OBS sends it. A publisher
# that ends is started again and counted: the soak is about the edge.
publisher_restarts=0
start_publisher() { # index
  local i=$1
  "$FFMPEG" -hide_banner -loglevel error -nostdin -re \
    -f lavfi -i "testsrc2=size=$SIZE:rate=$FPS" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -c:v libx264 -preset veryfast -tune zerolatency -g "$((FPS * 2))" -b:v 1000k -pix_fmt yuv420p \
    -c:a aac -b:a 96k -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/${keys[$i]}" >> "$WORK/publisher-$i.log" 2>&1 &
  pub_pids[$i]=$!
  pids+=("$!")
}
pub_pids=()
for i in $(seq 0 $((STREAMS - 1))); do start_publisher "$i"; done

kib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
heap_after_gc_kib() {
  jcmd "$EDGE_PID" GC.run > /dev/null
  jcmd "$EDGE_PID" GC.heap_info | sed -n 's/.*garbage-first heap.*used \([0-9]*\)K.*/\1/p' | head -1
}
# Native memory: NMT's committed total less the Java heap's committed part (which G1 grows and shrinks on its own).
nmt_committed_kib() {
  jcmd "$EDGE_PID" VM.native_memory summary | awk '
    /^Total: reserved=/ { sub(/.*committed=/, ""); sub(/KB.*/, ""); total = $0 }
    /Java Heap \(reserved=/ { sub(/.*committed=/, ""); sub(/KB.*/, ""); heap = $0 }
    END { print total - heap }'
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$EDGE_PID/status"; }
open_files() { ls "/proc/$EDGE_PID/fd" | wc -l; }
media_sequence() { # stream name
  curl -fsS --max-time 5 "http://127.0.0.1:$HTTP_PORT/hls/$1/index.m3u8" 2>/dev/null \
    | sed -n 's/^#EXT-X-MEDIA-SEQUENCE:\([0-9]*\).*/\1/p' || true
}

log "logs: $WORK"
log "soak: $STREAMS streams of $SIZE at $FPS fps for $MINUTES min, a sample every $SAMPLE_SECONDS s, baseline minute $BASELINE, edge pid $EDGE_PID (-Xmx$HEAP), ffmpeg $FFMPEG"
printf '%-20s %6s %10s %10s %10s %6s  %s\n' time minute heap_MiB rss_MiB native_MiB fds "media sequence per stream"
samples=$(( MINUTES * 60 / SAMPLE_SECONDS ))
base_sample=$(( BASELINE * 60 / SAMPLE_SECONDS ))
declare -a heap rss nmt fds last_seq
stalled=0
start=$SECONDS
for s in $(seq 1 "$samples"); do
  while [ $((SECONDS - start)) -lt $((s * SAMPLE_SECONDS)) ]; do
    for i in $(seq 0 $((STREAMS - 1))); do
      if ! kill -0 "${pub_pids[$i]}" 2>/dev/null; then
        publisher_restarts=$((publisher_restarts + 1))
        start_publisher "$i"
      fi
    done
    kill -0 "$EDGE_PID" 2>/dev/null || { tail -20 "$WORK/edge.log" >&2; log "the edge exited"; exit 1; }
    sleep 2
  done
  heap[$s]="$(heap_after_gc_kib)"
  rss[$s]="$(rss_kib)"
  nmt[$s]="$(nmt_committed_kib)"
  fds[$s]="$(open_files)"
  seqs=""
  for i in $(seq 1 "$STREAMS"); do
    q="$(media_sequence "soak$i")"
    if [ -z "$q" ] || [ "${q}" = "${last_seq[$i]:-}" ]; then
      stalled=$((stalled + 1))
      seqs+=" soak$i=${q:-none}(stalled)"
    else
      seqs+=" soak$i=$q"
    fi
    last_seq[$i]="$q"
  done
  printf '%-20s %6s %10s %10s %10s %6s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$(awk -v s="$s" -v i="$SAMPLE_SECONDS" 'BEGIN { printf "%.1f", s * i / 60 }')" \
    "$(kib "${heap[$s]}")" "$(kib "${rss[$s]}")" "$(kib "${nmt[$s]}")" "${fds[$s]}" "$seqs"
done

# Verdict: heap after GC moves with the segments held at that moment, so the growth compares medians: of the first
# samples from the baseline minute on and of the last samples (up to 5 each), beside the highest sample after the
# baseline.
after=$(( samples - base_sample + 1 ))
window=$(( after / 2 < 5 ? after / 2 : 5 ))
[ "$window" -ge 1 ] || window=1
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
verdict=0
log "verdict (growth after minute $BASELINE, medians of $window samples; goal < $GOAL_PERCENT %), publisher restarts: $publisher_restarts, stalled stream samples: $stalled"
for m in heap rss nmt fds; do
  declare -n series="$m"
  base="$(median "${series[@]:$base_sample:$window}")"
  last="$(median "${series[@]:$((samples - window + 1)):$window}")"
  max="$base"
  for s in $(seq "$base_sample" "$samples"); do [ "${series[$s]}" -gt "$max" ] && max="${series[$s]}"; done
  growth="$(awk -v b="$base" -v l="$last" 'BEGIN { printf "%.1f", (l - b) * 100 / b }')"
  peak="$(awk -v b="$base" -v l="$max" 'BEGIN { printf "%.1f", (l - b) * 100 / b }')"
  ok="$(awk -v g="$growth" -v goal="$GOAL_PERCENT" 'BEGIN { print (g < goal) ? "ok" : "OVER" }')"
  [ "$ok" = ok ] || verdict=1
  unset -n series
  printf '  %-5s from minute %s: %s, at the end: %s (%s %%), highest after: %s (%s %%)  %s\n' "$m" "$BASELINE" \
    "$base" "$last" "$growth" "$max" "$peak" "$ok"
done
echo "  (heap, rss and nmt in KiB; fds in open files)"
[ "$stalled" -eq 0 ] || verdict=1
if [ "$verdict" -eq 0 ]; then log "PASS"; else log "FAIL"; fi
exit "$verdict"
