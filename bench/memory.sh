#!/bin/sh
# Resident memory of the server on a generated cluster, with the image's JVM flags and environment, and a
# container memory limit simulated by -XX:MaxRAM (the JVM sizes its heap from it as from a cgroup limit).
# usage: bench/memory.sh MANIFESTS_DIR MAXRAM NAME_TO_ASK     (see bench/README.md, "Memory")
# MEMORY_JAVA_OPTS replaces the image's collector and heap flags (default: the Dockerfile's).
set -u
J=$(dirname "$0")/../dns-server/target/headless-dns.jar
IMAGE_OPTS="-XX:MaxRAMPercentage=70 -XX:+UseShenandoahGC -XX:+UnlockExperimentalVMOptions -XX:ShenandoahUncommitDelay=5000 -XX:ShenandoahGuaranteedGCInterval=30000 -XX:TrimNativeHeapInterval=5000 -XX:-UsePerfData"
MALLOC_ARENA_MAX=2 java -XX:MaxRAM=$2 ${MEMORY_JAVA_OPTS:-$IMAGE_OPTS} -Djava.io.tmpdir=/tmp -jar "$J" --manifests $1 --bind 127.0.0.1 --port 15353 --http-port 19153 --threads 2 > /tmp/headless-dns-memory.log 2>&1 &
P=$!
i=0
until curl -sf localhost:19153/ready >/dev/null; do sleep 1; i=$((i+1)); [ $i -gt 240 ] && break; done
echo "ready after ${i}s"
sleep 75
grep VmHWM /proc/$P/status   # the peak: loading garbage included
grep VmRSS /proc/$P/status   # 75 s after ready, as it runs (the image's collector runs a cycle at least every 30 s)
jcmd $P GC.run >/dev/null; sleep 15  # then the live set and the RSS after a full GC (the freed regions are uncommitted 5-10 s later)
dig @127.0.0.1 -p 15353 +short "$3"
grep VmRSS /proc/$P/status; jcmd $P GC.heap_info | sed -n 2,3p
echo "live heap (jmap -histo:live): $(jmap -histo:live $P | tail -1)"
curl -s localhost:19153/metrics | grep -E "^headless_dns_records"
kill $P; wait $P
