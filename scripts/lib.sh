# Shared helpers for cnxx scripts. Source, do not run.

CNXX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CNXX_CACHE=${CNXX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cnxx}
CNXX_OUT=${CNXX_OUT:-$CNXX_ROOT/out}
CNXX_PACKAGES=$CNXX_ROOT/scripts/packages

die() { echo "cnxx: $*" >&2; exit 1; }
log() { echo "cnxx: $*" >&2; }

# group_pkgs GROUP...: the packages of GROUPs in scripts/packages ("all":
# every group but the *-download ones), with {SERIES} replaced by
# stock_abi SERIES.
group_pkgs() {
	local g p s abi list out=
	list=$(for g in "$@"; do
		awk -v g="$g" '!/^#/ && NF > 1 && ((g == "all" && $1 !~ /-download$/) || $1 == g) {
			for (i = 2; i <= NF; i++) print $i; found = 1 }
			END { exit !found }' "$CNXX_PACKAGES" ||
			die "no package group '$g' in scripts/packages"
	done) || exit 1
	for p in $list; do
		case $p in
		*'{'*'}'*)
			s=${p#*\{}
			s=${s%%\}*}
			abi=$(stock_abi "$s") || exit 1
			p=${p/\{$s\}/$abi}
			;;
		esac
		out+=$p$'\n'
	done
	printf '%s' "$out" | awk '!seen[$0]++'
}

# in_git: whether the tree is a git checkout of its own (a copy under
# another checkout's out/ is not).
in_git() {
	[ "$(git -C "$CNXX_ROOT" rev-parse --show-toplevel 2>/dev/null)" = "$CNXX_ROOT" ]
}

# copy_tree DEST: copies the tree into DEST: the tracked files and new ones
# not ignored, what a commit would hold; outside git, all but build/ and
# out/.
copy_tree() {
	mkdir -p "$1"
	if in_git; then
		git -C "$CNXX_ROOT" ls-files -z --cached --others --exclude-standard |
			(cd "$CNXX_ROOT" && xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$1"
	else
		tar -C "$CNXX_ROOT" --exclude=./build --exclude=./out -cf - . | tar -xf - -C "$1"
	fi
}

# apt_update: apt-get update, once per run of make check (as root).
apt_update() {
	[ -z "${CNXX_APT_UPDATED:-}" ] || return 0
	run_watched "apt-get update" "$CNXX_CACHE/apt-update.log" 0 '^(Get|Hit):' \
		apt-get update || { tail -5 "$CNXX_CACHE/apt-update.log" >&2;
		die "apt-get update failed: the package archive is not reachable or the apt sources are broken (see $CNXX_CACHE/apt-update.log)"; }
	export CNXX_APT_UPDATED=1
}

# stock_abi SERIES: the ABI name of the newest Debian kernel of SERIES
# (6.1 or 6.12) that the archive serves, e.g. 6.1.0-57 or 6.12.118+deb12:
# its packages are linux-headers-ABI-amd64, linux-image-ABI-amd64-unsigned.
# For 6.1 it is what the linux-headers-amd64 metapackage depends on; 6.12
# has no metapackage in bookworm, so the newest linux-headers-6.12.*+deb12-amd64.
stock_abi() {
	local abi i
	for i in 1 2; do
		case $1 in
		6.1) abi=$(apt-cache depends linux-headers-amd64 2>/dev/null |
			sed -nE 's/^ +Depends: linux-headers-(6\.1\.0-[0-9]+)-amd64$/\1/p' | head -1) ;;
		6.12) abi=$(apt-cache pkgnames linux-headers-6.12. 2>/dev/null |
			sed -nE 's/^linux-headers-(6\.12\.[0-9]+\+deb12)-amd64$/\1/p' | sort -V | tail -1) ;;
		*) die "no stock Debian kernel series '$1' (6.1 or 6.12)" ;;
		esac
		[ -z "$abi" ] || { echo "$abi"; return 0; }
		# A fresh root has no package lists yet.
		[ $i = 1 ] && [ "$(id -u)" -eq 0 ] && [ -z "${CNXX_APT_UPDATED:-}" ] || break
		apt_update
	done
	die "the package archive serves no Debian $1 kernel headers (apt-get update, or check the apt sources)"
}

# kernel_source SERIES: extracts linux-source-SERIES (installed) into the
# cache once and prints the tree.
kernel_source() {
	local ver src
	ver=$(dpkg-query -W -f='${Version}' "linux-source-$1") || die "linux-source-$1 is not installed"
	src=$CNXX_CACHE/src/linux-$ver
	mkdir -p "$CNXX_CACHE/src"
	(
		flock 8
		[ -f "$src/.cnxx-extracted" ] && exit 0
		rm -rf "$src" "$src.tmp"
		mkdir -p "$src.tmp"
		# about 80,000 files in either series
		run_watched "extracting linux-source-$1 $ver" "$CNXX_CACHE/src/extract-$1.log" \
			80000 . tar -C "$src.tmp" --strip-components=1 -xvf "/usr/src/linux-source-$1.tar.xz" ||
			die "extracting linux-source-$1 failed"
		touch "$src.tmp/.cnxx-extracted"
		mv "$src.tmp" "$src"
	) 8>"$CNXX_CACHE/src/.lock-$1" || exit 1
	echo "$src"
}

# need GROUP...: install the missing packages of GROUPs when root, else name
# them with the command that installs them.
need() {
	local missing=() p pkgs
	pkgs=$(group_pkgs "$@") || exit 1
	for p in $pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		log "missing Debian packages for $*: ${missing[*]}"
		die "install them as root: apt-get install ${missing[*]}   (or: sudo make deps)"
	fi
	apt_update
	# Another apt run (a second make) gets to finish first: wait for its lock.
	run_watched "installing ${missing[*]}" "$CNXX_CACHE/apt-install.log" \
		0 '^(Unpacking|Setting up) ' \
		env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-o DPkg::Lock::Timeout=600 "${missing[@]}" ||
		{ grep -E '^(E|W):' "$CNXX_CACHE/apt-install.log" | tail -5 >&2
		die "apt-get install failed for: ${missing[*]}; is the package archive reachable? (log: $CNXX_CACHE/apt-install.log)"; }
}

# run_watched LABEL LOG TOTAL REGEX CMD...: runs CMD with its output in LOG and
# shows that it is alive: lines of LOG matching REGEX count as steps done, out
# of about TOTAL (0: unknown). A bar on a terminal, else a line every 30 s.
run_watched() {
	local label=$1 logf=$2 total=$3 regex=$4 pid rc start=$SECONDS n el tick=30 next
	shift 4
	mkdir -p "$(dirname "$logf")"
	log "$label (log: $logf)"
	"$@" >"$logf" 2>&1 &
	pid=$!
	# shellcheck disable=SC2064
	trap "kill $pid 2>/dev/null" INT TERM
	[ -t 2 ] && tick=1
	next=$tick
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		el=$((SECONDS - start))
		[ "$el" -ge "$next" ] || continue
		next=$((el + tick))
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

# ---- RESULT lines: "RESULT passed=N failed=M skipped=K", the last line of
# every test stage (build-host.sh test|fuzz, vm.sh).

# result_read FILE STATUS NAME: sets res_passed, res_failed, res_skipped
# from the last RESULT line of FILE, the output of stage NAME that exited
# with STATUS. No such line, or a failing STATUS without a failed test,
# counts as one failure, said on stdout. Returns 1 when anything failed.
result_read() {
	local line
	line=$(grep -E '^RESULT passed=' "$1" | tail -1)
	res_passed=0 res_failed=1 res_skipped=0
	if [ -z "$line" ]; then
		echo "FAIL $3: no result (status $2)"
		return 1
	fi
	res_passed=$(echo "$line" | sed -E 's/.*passed=([0-9]+).*/\1/')
	res_failed=$(echo "$line" | sed -E 's/.*failed=([0-9]+).*/\1/')
	res_skipped=$(echo "$line" | sed -E 's/.*skipped=([0-9]+).*/\1/')
	if [ "$2" -ne 0 ] && [ "$res_failed" -eq 0 ]; then
		res_failed=1
		echo "FAIL $3: exited with status $2"
	fi
	[ "$res_failed" -eq 0 ]
}

tally_passed=0 tally_failed=0 tally_skipped=0
tally_lines=()

# tally NAME CMD...: runs the stage CMD with its output shown, adds its
# RESULT to the totals and a line to the summary. CMD's output stays in
# $tally_out until the next call.
tally() {
	local name=$1 rc start=$SECONDS
	shift
	echo "=== $name"
	tally_out=${tally_out:-$(mktemp)}
	"$@" 2>&1 | tee "$tally_out"
	rc=${PIPESTATUS[0]}
	result_read "$tally_out" "$rc" "$name"
	tally_passed=$((tally_passed + res_passed))
	tally_failed=$((tally_failed + res_failed))
	tally_skipped=$((tally_skipped + res_skipped))
	tally_lines+=("$(printf '%-24s %4d passed %3d failed %3d skipped %6d s' "$name" \
		"$res_passed" "$res_failed" "$res_skipped" $((SECONDS - start)))")
}

# tally_summary: the summary lines and one total line; fails if anything did.
tally_summary() {
	echo "=== summary"
	printf '%s\n' "${tally_lines[@]}"
	echo "$tally_passed passed, $tally_failed failed, $tally_skipped skipped"
	rm -f "${tally_out:-}"
	[ "$tally_failed" -eq 0 ]
}
