#!/usr/bin/env bash
# What metering costs on the query hot path: QueryBenchmark with metrics off and on, one JMH fork per
# run, the runs alternated (off, on, off, on, ...) so drift on a shared machine hits both alike, each JVM
# pinned to one CPU (taskset) so scheduler migrations between the cores do not decide the figure (unpinned,
# forks of the same code differ by up to 2x here). Prints the median per case and the median of the
# per-round on/off ratios.
#
# Usage: bench/metrics-cost.sh [rounds (default 5)] [cpu (default 0)]
# Needs: bench/target/benchmarks.jar (mvn -B -q -DskipTests package), taskset (util-linux).
set -euo pipefail
ROUNDS=${1:-5}
CPU=${2:-0}
cd "$(dirname "$0")/.."
JAR=bench/target/benchmarks.jar
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -B -q -DskipTests package first" >&2; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cp "$JAR" "$OUT/benchmarks.jar" # a rebuild during the run must not change what is measured
JAR=$OUT/benchmarks.jar
echo "round,method,kind,metrics,ops_per_us" > "$OUT/runs.csv"
for round in $(seq 1 "$ROUNDS"); do
  for method in wholeQuery batchOf16; do
    for kind in service pod; do
      for metrics in off on; do
        score=$(taskset -c "$CPU" java -Djmh.ignoreLock=true -jar "$JAR" "QueryBenchmark.$method\$" -p kind=$kind -p metrics=$metrics \
            -f 1 -wi 3 -w 2 -i 3 -r 2 -rf csv -rff "$OUT/one.csv" >/dev/null 2>&1 && tail -1 "$OUT/one.csv" | cut -d, -f5)
        echo "$round,$method,$kind,$metrics,$score" | tee -a "$OUT/runs.csv" >&2
      done
    done
  done
done
awk -F, '
function median(arr, n,   i, j, t) {
  for (i = 2; i <= n; i++) { t = arr[i]; j = i - 1; while (j > 0 && arr[j] > t) { arr[j+1] = arr[j]; j-- } arr[j+1] = t }
  return n % 2 ? arr[(n+1)/2] : (arr[n/2] + arr[n/2+1]) / 2
}
NR == 1 { next }
{ key = $2 " " $3; keys[key] = 1; v[key, $4, $1] = $5; if ($1 > rounds) rounds = $1 }
END {
  for (key in keys) {
    split(key, p, " ")
    n = 0; split("", off); split("", on); split("", ratio)
    for (r = 1; r <= rounds; r++) {
      off[r] = v[key, "off", r]; on[r] = v[key, "on", r]; ratio[r] = v[key, "on", r] / v[key, "off", r]
    }
    printf "| %s | %s | %.2f | %.2f | %.3f |\n", p[1], p[2], median(off, rounds), median(on, rounds), median(ratio, rounds)
  }
}' "$OUT/runs.csv" | sort > "$OUT/table.md"
echo "| method | kind | metrics off (q/us) | metrics on (q/us) | on/off (median of rounds) |"
echo "|---|---|---|---|---|"
cat "$OUT/table.md"
