# Shared helpers for cnxx scripts. Source, do not run.

CNXX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CNXX_CACHE=${CNXX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cnxx}
CNXX_OUT=${CNXX_OUT:-$CNXX_ROOT/out}
CNXX_PACKAGES=$CNXX_ROOT/scripts/packages

die() { echo "cnxx: $*" >&2; exit 1; }
log() { echo "cnxx: $*" >&2; }

# group_pkgs GROUP...: the packages of GROUPs in scripts/packages ("all": every group).
group_pkgs() {
	local g
	for g in "$@"; do
		awk -v g="$g" '!/^#/ && NF > 1 && (g == "all" || $1 == g) {
			for (i = 2; i <= NF; i++) print $i; found = 1 }
			END { exit !found }' "$CNXX_PACKAGES" ||
			die "no package group '$g' in scripts/packages"
	done | awk '!seen[$0]++'
}

# need GROUP...: install the missing packages of GROUPs when root, else name
# them with the command that installs them.
need() {
	local missing=() p
	for p in $(group_pkgs "$@"); do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		log "missing Debian packages for $*: ${missing[*]}"
		die "install them as root: apt-get install ${missing[*]}   (or: sudo make deps)"
	fi
	if [ -z "${CNXX_APT_UPDATED:-}" ]; then
		run_watched "apt-get update" "$CNXX_CACHE/apt-update.log" 0 '^(Get|Hit):' \
			apt-get update ||
			die "apt-get update failed: the package archive is not reachable or the apt sources are broken (see $CNXX_CACHE/apt-update.log)"
		export CNXX_APT_UPDATED=1
	fi
	run_watched "installing ${missing[*]}" "$CNXX_CACHE/apt-install.log" \
		$((${#missing[@]} * 2)) '^(Unpacking|Setting up) ' \
		env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
		die "apt-get install failed for: ${missing[*]} (see $CNXX_CACHE/apt-install.log)"
}

# run_watched LABEL LOG TOTAL REGEX CMD...: runs CMD with its output in LOG and
# shows that it is alive: lines of LOG matching REGEX count as steps done, out
# of about TOTAL (0: unknown). A bar on a terminal, else a line every 30 s.
run_watched() {
	local label=$1 logf=$2 total=$3 regex=$4 pid rc start=$SECONDS n el tick=30
	shift 4
	mkdir -p "$(dirname "$logf")"
	log "$label (log: $logf)"
	"$@" >"$logf" 2>&1 &
	pid=$!
	# shellcheck disable=SC2064
	trap "kill $pid 2>/dev/null" INT TERM
	[ -t 2 ] && tick=1
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		el=$((SECONDS - start))
		[ $((el % tick)) -eq 0 ] || continue
		n=$(grep -cE "$regex" "$logf" 2>/dev/null)
		[ -t 2 ] && printf '\r\033[K' >&2
		progress_line "$label" "${n:-0}" "$total" "$el" >&2
		[ -t 2 ] || echo >&2
	done
	wait "$pid"
	rc=$?
	trap - INT TERM
	[ -t 2 ] && printf '\r\033[K' >&2
	return $rc
}

# progress_line LABEL DONE TOTAL ELAPSED
progress_line() {
	local label=$1 n=$2 total=$3 el=$4 pct bar
	printf 'cnxx: %s: %d:%02d elapsed' "$label" $((el / 60)) $((el % 60))
	[ "$n" -gt 0 ] || return 0
	if [ "$total" -gt 0 ]; then
		pct=$((n * 100 / total))
		[ $pct -gt 99 ] && pct=99
		bar=$(printf '%*s' $((pct / 5)) '' | tr ' ' '#')
		printf ', %d of about %d (%d%%) [%-20s]' "$n" "$total" $pct "$bar"
		[ $pct -gt 0 ] && printf ', about %d s left' $((el * (100 - pct) / pct))
	else
		printf ', %d done' "$n"
	fi
}
