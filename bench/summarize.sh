#!/usr/bin/env bash
# Turns bench/load.sh's results.csv into markdown: medians per server, and the median of the per-pair
# ratios headless-dns/Knot and headless-dns/NSD (each pair measured back to back in the same rep).
set -euo pipefail
CSV=$1
awk -F, '
function median(arr, n,   i, j, t) {
  for (i = 2; i <= n; i++) { t = arr[i]; j = i - 1; while (j > 0 && arr[j] > t) { arr[j+1] = arr[j]; j-- } arr[j+1] = t }
  return n % 2 ? arr[(n+1)/2] : (arr[n/2] + arr[n/2+1]) / 2
}
NR == 1 { next }
{
  key = $1 "|" $2 "|" $3; keys[key] = 1
  v[key, $5, "qps", $4] = $6; v[key, $5, "avg", $4] = $7; v[key, $5, "p99", $4] = $8
  v[key, $5, "lost", $4] = $9; v[key, $5, "cpu", $4] = $10; v[key, $5, "rss", $4] = $11
  if ($4 > reps[key]) reps[key] = $4
}
END {
  print "| phase | threads | queries | server | QPS | avg ms | p99 ms | lost | CPU % | RSS MB | ratio hd/peer (median of pairs) |"
  print "|---|---|---|---|---|---|---|---|---|---|---|"
  n = 0
  for (key in keys) sorted[++n] = key
  for (i = 2; i <= n; i++) { t = sorted[i]; j = i - 1; while (j > 0 && sorted[j] > t) { sorted[j+1] = sorted[j]; j-- } sorted[j+1] = t }
  for (k = 1; k <= n; k++) {
    key = sorted[k]; split(key, p, "|")
    split("headless-dns knot nsd", servers, " ")
    for (s = 1; s <= 3; s++) {
      srv = servers[s]
      split("qps avg p99 lost cpu rss", metrics, " ")
      for (m = 1; m <= 6; m++) {
        c = 0; split("", a)
        for (r = 1; r <= reps[key]; r++) if ((key, srv, metrics[m], r) in v && v[key, srv, metrics[m], r] != "-") a[++c] = v[key, srv, metrics[m], r] + 0
        med[metrics[m]] = c ? median(a, c) : "-"
      }
      ratio = ""
      if (srv != "headless-dns") {
        c = 0; split("", a)
        for (r = 1; r <= reps[key]; r++) {
          peer = v[key, srv, "qps", r] + 0; mine = v[key, "headless-dns", "qps", r] + 0
          if (p[1] ~ /^rate/) { peer = v[key, srv, "cpu", r] + 0; mine = v[key, "headless-dns", "cpu", r] + 0 }
          if (peer > 0) a[++c] = mine / peer
        }
        ratio = c ? sprintf("%.2f%s", median(a, c), p[1] ~ /^rate/ ? " (CPU)" : "") : "-"
      }
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p[1], p[2], p[3], srv, \
        med["qps"] == "-" ? "-" : sprintf("%.0f", med["qps"]), med["avg"], med["p99"], med["lost"], med["cpu"], med["rss"], ratio
    }
  }
}' "$CSV"
