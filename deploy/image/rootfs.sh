#!/bin/sh
# The image's root file system, built without any container registry (only Maven Central and Debian's
# mirror are reachable here and on CI): a JRE jlink'd from the build's JDK 17 into /opt/java, and the
# few shared libraries it links, taken from Debian's packages (apt-get download, dpkg-deb -x).
# Jib puts the result under the application layers of a FROM-scratch image (mvn -B -Pimage package).
#
# usage: rootfs.sh OUT_DIR DEB_CACHE_DIR        (needs jlink, apt-get, dpkg-deb, ldd; x86_64)
set -eu
out=$1
debs=$2
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}

# jdeps --print-module-deps on headless-dns.jar, plus what it reaches reflectively or at run time:
# jdk.crypto.ec (TLS to the API server), java.logging, java.management (micrometer's JVM metrics)
modules=java.base,java.desktop,java.naming,java.net.http,java.sql,jdk.httpserver,jdk.jfr,jdk.management
modules=$modules,jdk.unsupported,jdk.crypto.ec,java.logging,java.management

rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp" "$out/lib/x86_64-linux-gnu" "$out/lib64" "$debs"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress=2 --output "$out/opt/java"
# java.desktop is there for java.beans (Jackson); its X11, font, image and sound natives never load in a
# headless server and would need libraries this image does not have
for lib in libawt_xawt libjawt libsplashscreen libjsound libfontmanager liblcms libjavajpeg; do
    rm -f "$out/opt/java/lib/$lib.so"
done

(cd "$debs" && apt-get download libc6 zlib1g libgcc-s1 libstdc++6 >/dev/null)
rm -rf "$debs/x"
for deb in "$debs"/*.deb; do
    dpkg-deb -x "$deb" "$debs/x"
done
# what the JVM and its natives link (ldd), the dynamic loader itself, and what Netty's epoll transport
# links (readelf -d on its .so, unpacked at run time: libdl.so.2 and librt.so.1, stubs in glibc 2.34+)
for name in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libdl.so.2 librt.so.1 libpthread.so.0 libz.so.1 \
        libgcc_s.so.1 libstdc++.so.6; do
    found=$(find "$debs/x" -name "$name" | head -n 1)
    [ -n "$found" ] || { echo "rootfs.sh: $name is in none of the downloaded packages" >&2; exit 1; }
    cp -L "$found" "$out/lib/x86_64-linux-gnu/$name"
done
cp "$out/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$out/lib64/ld-linux-x86-64.so.2"

# every native library left in the JRE resolves against exactly what is shipped
missing=$(find "$out/opt/java" -name '*.so' -o -path '*/bin/*' -type f | while read -r f; do
    LD_LIBRARY_PATH="$out/lib/x86_64-linux-gnu:$out/opt/java/lib:$out/opt/java/lib/server" ldd "$f" 2>/dev/null \
        | awk '/=>/ && $3 !~ /^\// {print $1}; /=>/ && $3 ~ /^\// {print $3}'
done | grep -v -e "^$out/" | sort -u || true)
if [ -n "$missing" ]; then
    echo "rootfs.sh: not shipped: $missing" >&2
    exit 1
fi

printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$out/etc/group"
{
    echo "JRE: $("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}') ($modules)"
    for deb in "$debs"/*.deb; do dpkg-deb -f "$deb" Package Version | tr '\n' ' '; echo; done
} > "$out/etc/headless-dns-image.txt"
echo "rootfs.sh: $(du -sh "$out" | cut -f1) in $out"
