#!/usr/bin/env bash
# Bar chart of median peak QPS per query file and server (bench/load.sh results.csv -> PNG): dnsperf's
# peaks, and the batched client's (bpeak, labelled "mmsgperf").
set -euo pipefail
CSV=$1; PNG=$2
DATA=$(mktemp)
awk -F, 'NR > 1 && ($1 == "peak" || $1 == "bpeak") { k = $2 "t " $3 ($1 == "bpeak" ? " mmsgperf" : ""); q[k, $5] = q[k, $5] " " $6; keys[k] = 1 }
function med(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 2; i <= n; i++) { t = a[i]+0; j = i-1; while (j > 0 && a[j]+0 > t) { a[j+1] = a[j]; j-- } a[j+1] = t } return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
END { n = 0; for (k in keys) s[++n] = k; for (i = 2; i <= n; i++) { t = s[i]; j = i - 1; while (j > 0 && s[j] > t) { s[j+1] = s[j]; j-- } s[j+1] = t }; for (i = 1; i <= n; i++) printf "\"%s\" %d %d %d\n", s[i], med(q[s[i], "headless-dns"]), med(q[s[i], "knot"]), med(q[s[i], "nsd"]) }' "$CSV" > "$DATA"
gnuplot <<GP
set terminal pngcairo size 1200,500 noenhanced
set output "$PNG"
set title "Peak QPS on loopback, dnsperf -c 20 -q 100 and mmsgperf (batches of 32), median of interleaved runs"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel "queries/s"
set yrange [0:*]
set key top left
set xtics rotate by -20
plot "$DATA" using 2:xtic(1) title "headless-dns", "" using 3 title "Knot DNS 3.2", "" using 4 title "NSD 4.6"
GP
rm -f "$DATA"
