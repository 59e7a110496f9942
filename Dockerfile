# headless-dns image (needs a Docker/BuildKit engine; `mvn -B -Pimage package` builds an equivalent image
# tarball without one, see deploy/README.md). The JVM flags below are the image's contract: Jib's
# entrypoint in dns-server/pom.xml and the read-only, non-root test (ReadOnlyNonRootIT) use the same ones.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -pl dns-server -am package

FROM eclipse-temurin:17-jre
COPY --from=build /src/dns-server/target/headless-dns.jar /app/headless-dns.jar
# no root in the container, and nothing to write but /tmp (an emptyDir in the pod)
USER 65532:65532
EXPOSE 1053/udp 1053/tcp 9153/tcp
# heap: at most 70% of the container's memory limit. Shenandoah: pauses of the DNS threads stay below a
# millisecond (the serial collector's full collections of a 108 MB live set took ~220 ms); a concurrent
# cycle at least every 30 s (about 0.25 s of one GC thread's CPU at 10k services) and empty regions handed
# back 5 s later (bench/README.md, "Memory": 10k services / 150k endpoints in 183-185 MB, with the one
# collection the server asks for after a large initial load); freed native memory handed back every 5 s; two malloc
# arenas rather than one per thread; no hsperfdata file, and temp files (Netty's native transport) only in
# /tmp; an OutOfMemoryError exits, for kubelet to restart the container
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:+UseShenandoahGC", "-XX:+UnlockExperimentalVMOptions", "-XX:ShenandoahUncommitDelay=5000", "-XX:ShenandoahGuaranteedGCInterval=30000", "-XX:TrimNativeHeapInterval=5000", "-XX:-UsePerfData", "-Djava.io.tmpdir=/tmp", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/headless-dns.jar"]
CMD ["--port=1053", "--http-port=9153"]
