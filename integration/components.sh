#!/usr/bin/env bash
# Installs what the integration suite runs against, once per machine; `mvn verify` calls it before the suite.
#   - the Temporal CLI (dev server + Web UI), built from the Go module proxy and cached in ~/.cache/ripcord/bin
#     (a cold build takes minutes; later tags carry a replace directive and cannot be go-installed, hence v1.5.1);
#   - the Temporal server v1.32.1 and its SQL schema tool, and the standalone Temporal UI server, built from the Go
#     module proxy and cached beside it (a cold build of the server takes about 8 minutes; v1.32.1 is the newest
#     server whose go.mod asks for no newer Go than this machine's, ui-server v2.55.0 likewise);
#   - Helm v4.3.2 (lints and renders the worker's chart under deploy/helm), from the Go module proxy, cached likewise;
#   - PostgreSQL, Prometheus (with promtool), Alertmanager, Chromium, ChromeDriver and HAProxy from Debian's packages
#     (root or sudo), and podman, runc, debootstrap and CNI's dnsname plugin, which build and run the worker image and
#     the composed stack (deploy/image/build.sh and stack-images.sh; their Debian bases are built once per machine and
#     kept in podman's store).
# Keycloak's server distribution is not installed here: the integration module's build unpacks it from Maven Central
# (org.keycloak:keycloak-quarkus-dist, cached in ~/.m2); it runs on the Java 21+ beside Java 17 (Temurin 25).
# Anything it cannot install is reported; the tests that need it then fail with the command that installs it.
set -uo pipefail
CACHE="${RIPCORD_CACHE:-$HOME/.cache/ripcord}"
status=0
# One run at a time per cache (.ci/run builds in the background while `mvn verify` or a benchmark may call this too):
# a second caller waits here, then finds everything built.
mkdir -p "$CACHE"
exec 9>"$CACHE/.components.lock"
flock 9

if [ -z "${RIPCORD_TEMPORAL_BIN:-}" ] && [ ! -x "$CACHE/bin/temporal" ] && ! command -v temporal >/dev/null 2>&1; then
  if command -v go >/dev/null 2>&1; then
    echo "components: building the Temporal CLI v1.5.1 into $CACHE/bin (once per machine)"
    GOBIN="$CACHE/bin" go install github.com/temporalio/cli/cmd/temporal@v1.5.1 || status=1
  else
    echo "components: no Go toolchain to build the Temporal CLI; install it or set RIPCORD_TEMPORAL_BIN" >&2
    status=1
  fi
fi

# go install names every binary after its package folder (server, sql, server), so each is built into a folder of
# its own and cached under a name that says what it is.
build_cached() { # binary-name module@version
  [ -x "$CACHE/bin/$1" ] && return 0
  if ! command -v go >/dev/null 2>&1; then
    echo "components: no Go toolchain to build $2" >&2
    return 1
  fi
  echo "components: building $2 into $CACHE/bin/$1 (once per machine)"
  local out="$CACHE/build/$1"
  rm -rf "$out" && mkdir -p "$out" "$CACHE/bin" && GOBIN="$out" go install "$2" \
    && mv "$out"/* "$CACHE/bin/$1" && rm -rf "$out"
}
build_cached temporal-server go.temporal.io/server/cmd/server@v1.32.1 || status=1
build_cached temporal-sql-tool go.temporal.io/server/cmd/tools/sql@v1.32.1 || status=1
build_cached temporal-ui-server github.com/temporalio/ui-server/v2/cmd/server@v2.55.0 || status=1
build_cached helm helm.sh/helm/v4/cmd/helm@v4.3.2 || status=1

missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
# Container names resolve between the composed services (ComposeIT) through CNI's dnsname plugin.
[ -x /usr/lib/cni/dnsname ] || missing+=(golang-github-containernetworking-plugin-dnsname)
for pair in prometheus:prometheus prometheus-alertmanager:prometheus-alertmanager chromium:chromium \
            chromedriver:chromium-driver haproxy:haproxy podman:podman runc:runc debootstrap:debootstrap; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then SUDO="sudo"; else
      echo "components: cannot install ${missing[*]} without root: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "components: installing ${missing[*]} from Debian's packages"
  $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    "${missing[@]}" || status=1
fi
exit $status
