# Sourced by the scripts: finds the Swift toolchain and installs the system
# packages boxlab needs (as root, once) on Debian/Ubuntu.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v swift >/dev/null 2>&1; then
  for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$dir/swift" ] && export PATH="$dir:$PATH" && break
  done
fi
command -v swift >/dev/null 2>&1 || { echo "boxlab: no Swift toolchain found (install Swift 6 and put it on PATH)" >&2; exit 1; }

# Packages: busybox-static (the embedded image), libedit-dev (the shell),
# gcc + libc6-dev (the static C shim), tmux (terminal tests), iproute2 and
# util-linux (network tests run in namespaces they make with ip netns/nsenter).
need=()
[ -x /bin/busybox ] || need+=(busybox-static)
[ -e /usr/include/editline/readline.h ] || need+=(libedit-dev)
command -v cc >/dev/null 2>&1 || need+=(gcc)
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || [ -e /usr/lib/aarch64-linux-gnu/libc.a ] || need+=(libc6-dev)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v ip >/dev/null 2>&1 || need+=(iproute2)          # network tests make their own namespaces
command -v nsenter >/dev/null 2>&1 || need+=(util-linux)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)        # archive tests: skopeo inspect oci-archive:…
command -v podman >/dev/null 2>&1 || need+=(podman)        # archive tests: podman runs boxlab's archives and saves its own
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)  # registry tests: push/pull against it
if [ ${#need[@]} -gt 0 ]; then
  echo "boxlab: installing ${need[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
