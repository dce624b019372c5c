#!/usr/bin/env bash
# Local stand-ins for the public images docker-compose.yml names, for machines that cannot pull them: built from
# Debian's packages (a debootstrap base, once per machine) and the Temporal binaries integration/components.sh builds.
#   localhost/ripcord-postgres:15        PostgreSQL 15 with the postgres image's POSTGRES_USER/PASSWORD contract
#   localhost/ripcord-temporal:1.32.1    temporal-server, temporal-sql-tool and the temporal CLI (server + admin tools)
#   localhost/ripcord-temporal-ui:2.55.0 the standalone UI server with deploy/temporal/ui/ripcord.yaml
#   localhost/ripcord-prometheus:2       Debian's Prometheus (and wget, for the health check)
# Grafana is not in Debian's archive, so it has no stand-in. Prints the variables that point docker-compose.yml at
# these images. Needs root and Debian's podman, runc and debootstrap.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${RIPCORD_CACHE:-$HOME/.cache/ripcord}"
MIRROR="${RIPCORD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES="ca-certificates,postgresql-15,prometheus,wget"
RECIPE="$(printf '%s\n' bookworm minbase "$PACKAGES" | sha256sum | cut -c1-12)"
BASE="localhost/ripcord-stack-base:bookworm-$RECIPE"
PODMAN=(podman --runtime runc)
OUT=integration/target/stack-images
mkdir -p "$OUT"

if ! "${PODMAN[@]}" image exists "$BASE"; then
  ROOTFS="$(mktemp -d)"
  trap 'rm -rf "$ROOTFS"' EXIT
  echo "stack images: building the base $BASE from Debian's packages ($MIRROR)"
  debootstrap --variant=minbase --include="$PACKAGES" bookworm "$ROOTFS" "$MIRROR" > "$OUT/debootstrap.log" 2>&1 \
    || { tail -20 "$OUT/debootstrap.log"; exit 1; }
  rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* \
    "$ROOTFS"/usr/share/man/*
  tar -C "$ROOTFS" --numeric-owner -cf - . | "${PODMAN[@]}" import --quiet --change 'CMD ["/bin/bash"]' - "$BASE" \
    > /dev/null
fi

CONTEXT="$(mktemp -d)"
cp "$CACHE/bin/temporal-server" "$CACHE/bin/temporal-sql-tool" "$CACHE/bin/temporal" "$CACHE/bin/temporal-ui-server" \
  deploy/image/stack/postgres-entrypoint.sh "$CONTEXT/"
mkdir -p "$CONTEXT/ui" && cp deploy/temporal/ui/ripcord.yaml "$CONTEXT/ui/"
build() { # tag, Containerfile text
  printf '%s\n' "$2" | "${PODMAN[@]}" build --quiet --network host --ulimit nofile=1024:1024 \
    --ulimit nproc=4096:4096 -t "$1" -f - "$CONTEXT" > /dev/null
}
build localhost/ripcord-postgres:15 "FROM $BASE
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT [\"/usr/local/bin/docker-entrypoint.sh\"]
CMD [\"postgres\"]"
build localhost/ripcord-temporal:1.32.1 "FROM $BASE
COPY temporal-server temporal-sql-tool temporal /usr/local/bin/
EXPOSE 7233
CMD [\"temporal-server\", \"--help\"]"
build localhost/ripcord-temporal-ui:2.55.0 "FROM $BASE
COPY temporal-ui-server /usr/local/bin/
COPY ui/ripcord.yaml /etc/temporal/ui/ripcord.yaml
EXPOSE 8080
ENTRYPOINT [\"temporal-ui-server\", \"--root\", \"/etc/temporal\", \"--config\", \"ui\", \"--env\", \"ripcord\", \"start\"]"
build localhost/ripcord-prometheus:2 "FROM $BASE
EXPOSE 9090
ENTRYPOINT [\"/usr/bin/prometheus\"]"
rm -rf "$CONTEXT"
cat <<VARS
RIPCORD_POSTGRES_IMAGE=localhost/ripcord-postgres:15
RIPCORD_TEMPORAL_SERVER_IMAGE=localhost/ripcord-temporal:1.32.1
RIPCORD_TEMPORAL_ADMIN_TOOLS_IMAGE=localhost/ripcord-temporal:1.32.1
RIPCORD_TEMPORAL_UI_IMAGE=localhost/ripcord-temporal-ui:2.55.0
RIPCORD_PROMETHEUS_IMAGE=localhost/ripcord-prometheus:2
VARS
