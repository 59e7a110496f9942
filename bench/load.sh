#!/usr/bin/env bash
# Side-by-side load harness: headless-dns vs Knot DNS vs NSD on the same synthetic cluster, driven by
# dnsperf on loopback. Runs are interleaved A B C A B C so the shared machine's drift hits all three.
#
#   bench/load.sh                 # full run (about 15 minutes): 1000 services, 10 s runs, 3 reps, 1 and 2 threads
#   bench/load.sh --smoke         # a few seconds, tiny cluster: checks the harness still works (run by mvn verify)
#   options: --services N --duration S --reps R --threads "1 2" --out DIR --no-batched
#
# Phases: "peak" is dnsperf (-c 20 -q 100) flat out; "bpeak" is the same query files from bench/mmsgperf.c,
# a client that sends and receives in batches of 32 (sendmmsg/recvmmsg), so that on 2 cores the server,
# not dnsperf's one syscall per query, sets the peak (service and per-pod files; --no-batched skips it);
# "rate40000" and "rate<80% of peak>" are dnsperf at a fixed rate (CPU at equal work, loss and p99).
#   HEADLESS_DNS_JAVA_OPTS: the JVM flags; HEADLESS_DNS_FLAGS: extra server flags (default --cpu-affinity,
#   as Knot pins its UDP workers; HEADLESS_DNS_FLAGS="" runs it unpinned)
#
# Needs: the packaged jar (mvn -B -q -DskipTests package), and knot, nsd, dnsperf, gnuplot, a C compiler
# (installed here from Debian if missing). Everything listens on 127.0.0.1 only; every run is bounded by -l.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/knot-conf.sh

SERVICES=1000; DURATION=10; REPS=3; THREADS="1 2"; SMOKE=0; OUT=""; BATCHED=1
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1; SERVICES=20; DURATION=1; REPS=1; THREADS="1" ;;
    --services) SERVICES=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --threads) THREADS=$2; shift ;;
    --out) OUT=$2; shift ;;
    --no-batched) BATCHED=0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

need=()
command -v dnsperf >/dev/null || need+=(dnsperf)
[ -x /usr/sbin/knotd ] || need+=(knot)
[ -x /usr/sbin/nsd ] || need+=(nsd)
[ "$SMOKE" = 1 ] || command -v gnuplot >/dev/null || need+=(gnuplot-nox)
[ "$BATCHED" = 0 ] || command -v cc >/dev/null || need+=(gcc libc6-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
JAR=dns-server/target/headless-dns.jar
GEN_CP=bench/target/benchmarks.jar
[ -f "$JAR" ] && [ -f "$GEN_CP" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }

WORK=$(mktemp -d /tmp/headless-dns-load.XXXXXX)
OUT=${OUT:-$WORK/out}
mkdir -p "$OUT"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

if [ "$BATCHED" = 1 ]; then
  cc -O2 -Wall -Werror -o "$WORK/mmsgperf" bench/mmsgperf.c
fi
QUERIES=$([ "$SMOKE" = 1 ] && echo 2000 || echo 200000)
java -cp "$GEN_CP" io.headlessdns.bench.load.ClusterGenerator "$WORK" "$SERVICES" "$QUERIES" >&2

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# CPU and RSS of a server's whole process tree (NSD forks its workers; Knot and the JVM use threads)
tree() { echo "$1"; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$c"; done; }
cpu_ticks() { local t=0; for p in $(tree "$1"); do t=$((t + $(awk '{print $14+$15+$16+$17}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
rss_kb() { local t=0; for p in $(tree "$1"); do t=$((t + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo "$t"; }
wait_answer() { # port name: waits up to 60 s for a NOERROR answer
  for _ in $(seq 1 300); do
    dig @127.0.0.1 -p "$1" +time=1 +tries=1 "$2" 2>/dev/null | grep -q "status: NOERROR" && return 0; sleep 0.2
  done
  echo "server on port $1 never answered $2" >&2; return 1
}

start_servers() { # threads
  local t=$1
  HD_PORT=$(free_port); KNOT_PORT=$(free_port); NSD_PORT=$(free_port)
  java ${HEADLESS_DNS_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC} -jar "$JAR" --manifests "$WORK/manifests" \
    --bind 127.0.0.1 --port "$HD_PORT" --http-port 0 --threads "$t" ${HEADLESS_DNS_FLAGS---cpu-affinity} > "$WORK/headless-dns.log" 2>&1 &
  HD_PID=$!; PIDS+=("$HD_PID")
  knot_conf "$WORK/knot-$t" "$KNOT_PORT" "$t" "$WORK"
  /usr/sbin/knotd -c "$WORK/knot-$t/knot.conf" > "$WORK/knot.log" 2>&1 &
  KNOT_PID=$!; PIDS+=("$KNOT_PID")
  mkdir -p "$WORK/nsd-$t"
  cat > "$WORK/nsd-$t/nsd.conf" <<NSD
server:
    ip-address: 127.0.0.1@$NSD_PORT
    server-count: $t
    username: ""
    chroot: ""
    zonesdir: "$WORK"
    database: ""
    pidfile: "$WORK/nsd-$t/nsd.pid"
    xfrdfile: "$WORK/nsd-$t/xfrd.state"
    zonelistfile: "$WORK/nsd-$t/zone.list"
    logfile: "$WORK/nsd-$t/nsd.log"
    verbosity: 0
    # Debian builds NSD with response rate limiting on (200/s per /24): off, as in the other two
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: cluster.local
    zonefile: cluster.local.zone
NSD
  /usr/sbin/nsd -d -c "$WORK/nsd-$t/nsd.conf" > "$WORK/nsd.log" 2>&1 &
  NSD_PID=$!; PIDS+=("$NSD_PID")
  for p in "$HD_PORT" "$KNOT_PORT" "$NSD_PORT"; do wait_answer "$p" "svc-0.bench.svc.cluster.local"; done
}

stop_servers() {
  kill "$HD_PID" "$KNOT_PID" "$NSD_PID" 2>/dev/null || true
  wait "$HD_PID" "$KNOT_PID" "$NSD_PID" 2>/dev/null || true
  PIDS=()
}

port_of() { case $1 in headless-dns) echo "$HD_PORT" ;; knot) echo "$KNOT_PORT" ;; nsd) echo "$NSD_PORT" ;; esac; }
pid_of() { case $1 in headless-dns) echo "$HD_PID" ;; knot) echo "$KNOT_PID" ;; nsd) echo "$NSD_PID" ;; esac; }

# one client run (dnsperf, or mmsgperf when client is "batched"); prints: qps avg_ms p99_ms lost cpu_pct rss_mb
run_one() { # server file duration [rate] [client]
  local server=$1 file=$2 dur=$3 rate=${4:-} client=${5:-dnsperf} pid port t0 t1 out extra=()
  pid=$(pid_of "$server"); port=$(port_of "$server")
  [ -n "$rate" ] && extra=(-Q "$rate" -v)
  t0=$(cpu_ticks "$pid")
  if [ "$client" = batched ]; then
    out=$("$WORK/mmsgperf" -s 127.0.0.1 -p "$port" -d "$WORK/queries-$file.txt" -c 4 -q 200 -b 32 -l "$dur" 2>&1)
  else
    out=$(dnsperf -s 127.0.0.1 -p "$port" -d "$WORK/queries-$file.txt" -c 20 -q 100 -l "$dur" "${extra[@]}" 2>&1)
  fi
  t1=$(cpu_ticks "$pid")
  local qps avg lost p99 cpu
  qps=$(awk '/Queries per second:/ {print $4}' <<<"$out")
  avg=$(awk '/Average Latency/ {printf "%.3f", $4*1000}' <<<"$out")
  lost=$(awk '/Queries lost:/ {print $3}' <<<"$out")
  p99=-
  if [ -n "$rate" ]; then # 10-microsecond buckets from dnsperf -v's per-query latencies
    p99=$(awk '/^> / {n++; b=int($NF*100000); h[b]++} END {t=n*0.99; c=0; for (i=0;i<=100000000;i++) if (i in h) {c+=h[i]; if (c>=t) {printf "%.3f", (i+1)/100; exit}}}' <<<"$out")
  fi
  cpu=$(awk -v a="$t0" -v b="$t1" -v d="$dur" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b-a)*100/hz/d}')
  echo "$qps $avg $p99 $lost $cpu $(( $(rss_kb "$pid") / 1024 ))"
}

CSV="$OUT/results.csv"
echo "phase,threads,file,rep,server,qps,avg_ms,p99_ms,lost,cpu_pct,rss_mb" > "$CSV"
SERVERS=(headless-dns knot nsd)
FILES=(service pod nxdomain mixed)
[ "$SMOKE" = 1 ] && FILES=(service nxdomain)

for t in $THREADS; do
  start_servers "$t"
  for f in "${FILES[@]}"; do # warm-up: JIT for the JVM, caches for all
    for s in "${SERVERS[@]}"; do run_one "$s" "$f" "$([ "$SMOKE" = 1 ] && echo 1 || echo 3)" >/dev/null; done
  done
  for f in "${FILES[@]}"; do
    for r in $(seq 1 "$REPS"); do
      for s in "${SERVERS[@]}"; do
        line=$(run_one "$s" "$f" "$DURATION")
        echo "peak,$t,$f,$r,$s,${line// /,}" | tee -a "$CSV" >&2
      done
    done
  done
  if [ "$BATCHED" = 1 ]; then
    for f in service pod; do
      [ -f "$WORK/queries-$f.txt" ] || continue
      for r in $(seq 1 "$REPS"); do
        for s in "${SERVERS[@]}"; do
          line=$(run_one "$s" "$f" "$DURATION" "" batched)
          echo "bpeak,$t,$f,$r,$s,${line// /,}" | tee -a "$CSV" >&2
        done
      done
    done
  fi
  if [ "$t" = 1 ]; then # fixed rates, one thread: 40k/s (CPU at equal work) and 80% of headless-dns's service peak
    peak=$(awk -F, -v t="$t" '$1=="peak" && $2==t && $3=="service" && $5=="headless-dns" {print $6}' "$CSV" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    rate80=$(awk -v p="$peak" 'BEGIN {printf "%d", p*0.8}')
    rates="40000 $rate80"
    [ "$SMOKE" = 1 ] && rates="2000"
    for rate in $rates; do
      for r in $(seq 1 "$REPS"); do
        for s in "${SERVERS[@]}"; do
          line=$(run_one "$s" service "$DURATION" "$rate")
          echo "rate$rate,$t,service,$r,$s,${line// /,}" | tee -a "$CSV" >&2
        done
      done
    done
  fi
  stop_servers
done

bash bench/summarize.sh "$CSV" > "$OUT/summary.md"
cat "$OUT/summary.md"
if [ "$SMOKE" = 0 ] && command -v gnuplot >/dev/null; then
  bash bench/chart.sh "$CSV" "$OUT/qps.png" && echo "chart: $OUT/qps.png"
fi
echo "results: $OUT"
