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
# heap: 70% of the container's memory limit (1Gi in deploy/base: 717 MiB of heap for a live set of
# 228 MiB at 10k services / 150k endpoints, bench/README.md "Memory"); Shenandoah: sub-millisecond
# pauses on the DNS threads; no hsperfdata file, and temp files (Netty's native transport) only in /tmp;
# an OutOfMemoryError exits, for kubelet to restart the container
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:+UseShenandoahGC", "-XX:-UsePerfData", "-Djava.io.tmpdir=/tmp", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/headless-dns.jar"]
CMD ["--port=1053", "--http-port=9153"]
