# Sourced by the scripts: finds the Swift toolchain and installs the system
# packages boxlab, its tests, benchmarks and lessons need (as root, once) on
# Debian/Ubuntu.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v swift >/dev/null 2>&1; then
  for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$dir/swift" ] && export PATH="$dir:$PATH" && break
  done
fi
command -v swift >/dev/null 2>&1 || { echo "boxlab: no Swift toolchain found (install Swift 6 and put it on PATH)" >&2; exit 1; }
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH="$PATH:/usr/sbin:/sbin" ;; esac

# Every program on the host that boxlab's tests, benchmarks and lessons call,
# and the Debian package that has it: "PROGRAM PACKAGE   # who calls it".
# Tests/BoxlabCLITests/HostPrograms.swift names the same programs (the tests
# call them only through it), and a test fails if one is missing here.
BOXLAB_PROGRAMS='
busybox          busybox-static   # the embedded default image; tests run it on the host too
cc               gcc              # the static C shim
tmux             tmux             # terminal tests
ip               iproute2         # network tests make their own namespaces
nsenter          util-linux       # network tests enter those namespaces
unshare          util-linux       # benchmarks: the kernel floor
script           bsdutils         # registry tests: a pseudo-terminal for skopeo
skopeo           skopeo           # archive and registry interop tests
podman           podman           # archive interop tests; benchmarks/startup
runc             runc             # podman --runtime runc in the tests; benchmarks/startup
crun             crun             # benchmarks/startup
docker-registry  docker-registry  # registry tests: push/pull against it
hyperfine        hyperfine        # benchmarks/shell
python3          python3          # benchmarks: medians and ratios
gzip             gzip             # gzip tests and benchmarks/inflate (Essential on Debian, listed all the same)
'

need=()
while read -r program package _; do
  [ -n "$program" ] || continue
  command -v "$program" >/dev/null 2>&1 || need+=("$package")
done <<< "$BOXLAB_PROGRAMS"
# Files rather than programs: the C libraries' headers (the shell's libedit,
# lessons' libyaml, gzip's zlib) and the static libc. libyaml and zlib are
# linked dynamically, even into the --static-swift-stdlib release build: their
# runtime packages (libyaml-0-2, zlib1g, pulled in by the -dev ones) must be
# installed wherever boxlab runs.
[ -e /usr/include/editline/readline.h ] || need+=(libedit-dev)
[ -e /usr/include/yaml.h ] || need+=(libyaml-dev)
[ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || [ -e /usr/lib/aarch64-linux-gnu/libc.a ] || need+=(libc6-dev)
if [ ${#need[@]} -gt 0 ]; then
  need=($(printf '%s\n' "${need[@]}" | sort -u))
  echo "boxlab: installing ${need[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
