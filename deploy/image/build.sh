#!/usr/bin/env bash
# Builds the worker image without a Docker daemon or a registry:
#   1. a base image, Debian bookworm (minbase) with openjdk-17-jre-headless and user 10001, made by debootstrap from
#      Debian's packages and imported into podman's store once per machine (rebuilt when its recipe changes);
#   2. the production worker jar (mvn -Pproduction), unless RIPCORD_WORKER_JAR names one;
#   3. the image (deploy/image/Containerfile) with podman build (buildah), labelled with the base's digest.
# Usage: deploy/image/build.sh [TAG]   (default: the project version)   -> localhost/ripcord-worker:TAG
# Writes worker/target/image/{image.digest,base.digest,ripcord-worker-TAG.tar} (the tar: docker-archive, for
# `docker load`, `podman load` or a registry push with skopeo). Needs root (debootstrap) and Debian's podman,
# runc and debootstrap.
set -euo pipefail
cd "$(dirname "$0")/../.."
TAG="${1:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)}"
MIRROR="${RIPCORD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES="openjdk-17-jre-headless,ca-certificates"
# The base's name carries a hash of its recipe, so a changed recipe builds a new base and an old one is reused.
RECIPE="$(printf '%s\n' bookworm minbase "$PACKAGES" 10001 | sha256sum | cut -c1-12)"
BASE="localhost/ripcord-base:bookworm-jre17-$RECIPE"
PODMAN=(podman --runtime runc)
OUT=worker/target/image
mkdir -p "$OUT"

if ! "${PODMAN[@]}" image exists "$BASE"; then
  ROOTFS="$(mktemp -d)"
  trap 'rm -rf "$ROOTFS"' EXIT
  echo "image: building the base $BASE from Debian's packages ($MIRROR)"
  debootstrap --variant=minbase --include="$PACKAGES" bookworm "$ROOTFS" "$MIRROR" > "$OUT/debootstrap.log" 2>&1 \
    || { tail -20 "$OUT/debootstrap.log"; exit 1; }
  chroot "$ROOTFS" groupadd -g 10001 ripcord
  chroot "$ROOTFS" useradd -u 10001 -g 10001 -M -d /nonexistent -s /usr/sbin/nologin ripcord
  rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* \
    "$ROOTFS"/usr/share/man/*
  tar -C "$ROOTFS" --numeric-owner -cf - . | "${PODMAN[@]}" import --quiet \
    --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' --change 'CMD ["/bin/bash"]' - "$BASE" > /dev/null
fi
BASE_DIGEST="$("${PODMAN[@]}" image inspect --format '{{.Digest}}' "$BASE")"
echo "$BASE@$BASE_DIGEST" > "$OUT/base.digest"

JAR="${RIPCORD_WORKER_JAR:-}"
if [ -z "$JAR" ]; then
  mvn -B -q -Pproduction -pl worker -am package -DskipTests
  JAR=worker/target/ripcord-worker-production.jar
fi
CONTEXT="$(mktemp -d)"
cp "$JAR" "$CONTEXT/ripcord-worker-production.jar"
"${PODMAN[@]}" build --quiet --network host --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
  --build-arg "BASE=$BASE" --build-arg "BASE_DIGEST=$BASE_DIGEST" -f deploy/image/Containerfile \
  -t "localhost/ripcord-worker:$TAG" "$CONTEXT" > /dev/null
rm -rf "$CONTEXT"
"${PODMAN[@]}" image inspect --format '{{.Digest}}' "localhost/ripcord-worker:$TAG" > "$OUT/image.digest"
rm -f "$OUT/ripcord-worker-$TAG.tar"
"${PODMAN[@]}" save --quiet --format docker-archive -o "$OUT/ripcord-worker-$TAG.tar" "localhost/ripcord-worker:$TAG"
echo "image: localhost/ripcord-worker:$TAG ($(cat "$OUT/image.digest")) on $(cat "$OUT/base.digest")"
