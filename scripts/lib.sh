# Shared helpers for cnxx scripts. Source, do not run.

CNXX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CNXX_CACHE=${CNXX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cnxx}
CNXX_OUT=${CNXX_OUT:-$CNXX_ROOT/out}

die() { echo "cnxx: $*" >&2; exit 1; }
log() { echo "cnxx: $*" >&2; }

# need_pkgs PKG... : install missing Debian packages when root, else name them.
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		die "missing packages; run: sudo apt-get install ${missing[*]}"
	fi
	log "installing ${missing[*]}"
	if [ -z "${CNXX_APT_UPDATED:-}" ]; then
		apt-get update -q >&2 || die "apt-get update failed"
		export CNXX_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get install ${missing[*]} failed"
}

KERNEL_BUILD_PKGS=(build-essential flex bison bc libelf-dev libssl-dev dwarves cpio kmod xz-utils python3)
VM_PKGS=(qemu-system-x86 busybox-static cpio)
HOST_TEST_PKGS=(cmake g++ googletest libgtest-dev libgmock-dev clang-14 libfuzzer-14-dev libmnl-dev libcli11-dev)
