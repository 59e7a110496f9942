#!/usr/bin/env bash
# Server CPU at a fixed query rate for headless-dns in several configurations and Knot DNS, one event loop
# / UDP worker each, on the load harness's generated cluster: what a flag costs or saves where it matters
# (the JMH benchmarks leave out the system calls and the cold caches between wake-ups). All run side by
# side and are measured in turn, A B C A B C, with `perf stat` on the server process (task-clock, context
# switches, CPU migrations) while dnsperf sends service A lookups at the rate. Prints one line per
# measurement, the medians, and each configuration's median per-rep ratio to Knot.
#
# Usage: bench/cpu-at-rate.sh [reps (default 5)] [rate (default 40000)] [name=flags ...]
#   default configurations: pinned=--cpu-affinity unpinned=   (what --cpu-affinity saves)
#   e.g. bench/cpu-at-rate.sh 5 40000 metrics-on=--cpu-affinity "metrics-off=--cpu-affinity --metrics=false"
# Needs: the packaged jar and bench jar (mvn -B -q -DskipTests package), knot, dnsperf, perf
# (linux-perf), python3. Everything listens on 127.0.0.1; every dnsperf run is bounded by -l.
set -euo pipefail
REPS=${1:-5}
RATE=${2:-40000}
shift $(( $# < 2 ? $# : 2 ))
CONFIGS=("$@")
[ ${#CONFIGS[@]} -gt 0 ] || CONFIGS=(pinned=--cpu-affinity unpinned=)
cd "$(dirname "$0")/.."
. bench/knot-conf.sh
JAR=dns-server/target/headless-dns.jar
[ -f "$JAR" ] && [ -f bench/target/benchmarks.jar ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
command -v perf >/dev/null && command -v dnsperf >/dev/null && [ -x /usr/sbin/knotd ] \
  || { echo "needs perf (linux-perf), dnsperf and knot" >&2; exit 2; }

WORK=$(mktemp -d /tmp/headless-dns-cpu.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
java -cp bench/target/benchmarks.jar io.headlessdns.bench.load.ClusterGenerator "$WORK" 1000 200000 >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

declare -A PORT PID
NAMES=()
for config in "${CONFIGS[@]}"; do
  name=${config%%=*}; flags=${config#*=}
  [ "$name" != knot ] && [ "$name" != "$config" ] || { echo "configurations are name=flags, not $config" >&2; exit 2; }
  NAMES+=("$name")
  PORT[$name]=$(free_port)
  java -Xms256m -Xmx256m -XX:+UseSerialGC -jar "$JAR" --manifests "$WORK/manifests" --bind 127.0.0.1 \
    --port "${PORT[$name]}" --http-port 0 --threads 1 $flags > "$WORK/$name.log" 2>&1 &
  PID[$name]=$!; PIDS+=("$!")
done
PORT[knot]=$(free_port)
knot_conf "$WORK/knot" "${PORT[knot]}" 1 "$WORK"
/usr/sbin/knotd -c "$WORK/knot/knot.conf" > "$WORK/knot.log" 2>&1 &
PID[knot]=$!; PIDS+=("$!")
for name in "${NAMES[@]}" knot; do
  for _ in $(seq 1 300); do
    dig @127.0.0.1 -p "${PORT[$name]}" +time=1 +tries=1 svc-0.bench.svc.cluster.local 2>/dev/null | grep -q "status: NOERROR" && break
    sleep 0.2
  done
  dnsperf -s 127.0.0.1 -p "${PORT[$name]}" -d "$WORK/queries-service.txt" -c 20 -q 100 -l 5 -Q "$RATE" >/dev/null 2>&1 # warm-up
done
for config in "${CONFIGS[@]}"; do # a configuration asked to pin must have pinned
  case $config in *--cpu-affinity*) grep -q "pinned to CPU" "$WORK/${config%%=*}.log" \
    || { echo "${config%%=*} did not pin its event loop" >&2; exit 1; } ;; esac
done

echo "rep,server,cpu_ms_per_s,context_switches_per_s,migrations_per_s"
for rep in $(seq 1 "$REPS"); do
  for name in "${NAMES[@]}" knot; do
    dnsperf -s 127.0.0.1 -p "${PORT[$name]}" -d "$WORK/queries-service.txt" -c 20 -q 100 -l 7 -Q "$RATE" > "$WORK/dnsperf.txt" 2>&1 &
    dp=$!
    sleep 1
    perf stat -x, -e task-clock,context-switches,cpu-migrations -p "${PID[$name]}" -- sleep 5 2> "$WORK/stat.txt"
    wait "$dp"
    awk -F, -v rep="$rep" -v s="$name" '
      $3 == "task-clock" { cpu = $1 } $3 == "context-switches" { cs = $1 } $3 == "cpu-migrations" { mig = $1 }
      END { printf "%s,%s,%.0f,%.0f,%.0f\n", rep, s, cpu / 5, cs / 5, mig / 5 }' "$WORK/stat.txt"
  done
done | tee "$WORK/runs.csv"
awk -F, '
function median(a, n,   i, j, t) {
  for (i = 2; i <= n; i++) { t = a[i]; j = i - 1; while (j > 0 && a[j] > t) { a[j+1] = a[j]; j-- } a[j+1] = t }
  return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{ n[$2]++; cpu[$2, n[$2]] = $3; cs[$2, n[$2]] = $4; last[$2] = $3
  if ($2 == "knot") { r = n["knot"]; for (s in last) if (s != "knot") ratio[s, r] = last[s] / $3 } }
END {
  for (s in n) { split("", a); split("", b); for (i = 1; i <= n[s]; i++) { a[i] = cpu[s, i]; b[i] = cs[s, i] }
    printf "median %s: %.0f ms CPU per s (%.1f%% of a core), %.0f context switches per s\n", s, median(a, n[s]), median(a, n[s]) / 10, median(b, n[s]) }
  for (s in n) if (s != "knot") { split("", a); for (i = 1; i <= n["knot"]; i++) a[i] = ratio[s, i]
    printf "median of per-rep ratios %s / knot: %.3f\n", s, median(a, n["knot"]) }
}' "$WORK/runs.csv"
