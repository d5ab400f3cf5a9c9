#!/usr/bin/env bash
# Fails when a build used a file from a Debian package that scripts/packages
# does not name. Assumed without naming: build-essential, apt and the
# essential set that every Debian root has, with what they depend on. A
# path through a symlink needs both packages named: the one that ships the
# link (libmnl-dev's libmnl.so) and the one that ships the file it points
# at (libmnl0). On a machine where packages accumulate, an unnamed package
# lets the build pass here and fail on a fresh one.
#
#   scripts/audit-deps.sh [--without PKG | --expect-missing PKG]
#
# Looks at what the builds under build/ and out/ resolved: CMake's cache and
# link lines, the compilers' dependency files (host and module builds), and
# the programs that the scripts and the Makefile call. --without drops PKG
# from the list first; --expect-missing does so and passes only if the audit
# then fails naming PKG. Prints ok/not ok lines and "RESULT passed=N
# failed=M skipped=0".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

without=
case "${1:-}" in
--without) without=${2:?--without needs a package} ;;
--expect-missing)
	pkg=${2:?--expect-missing needs a package}
	out=$("$0" --without "$pkg") || true
	if echo "$out" | grep -q "^not ok .*unlisted packages:.*\b$pkg\b"; then
		echo "ok 1 - without $pkg in scripts/packages the audit fails and names it"
		echo "RESULT passed=1 failed=0 skipped=0"
	else
		echo "$out"
		echo "not ok 1 - without $pkg in scripts/packages the audit did not name it"
		echo "RESULT passed=0 failed=1 skipped=0"
	fi
	exit 0
	;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Accepted: the listed packages, and build-essential, apt and the
# essential set with everything they depend on.
{
	echo build-essential
	echo apt
	dpkg-query -W -f='${Package} ${Essential}\n' | awk '$2 == "yes" { print $1 }'
} | sort -u >"$work/roots"
# shellcheck disable=SC2046
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances $(cat "$work/roots") 2>/dev/null |
	sed -nE 's/^([a-z0-9][a-z0-9.+-]*)$/\1/p; s/^ +(Pre)?Depends: <?([a-z0-9][a-z0-9.+-]*)>?$/\2/p' |
	sed 's/:any$//' | cat - "$work/roots" >"$work/accepted"
group_pkgs all | grep -vxF "${without:-/}" >>"$work/accepted" || true

# Files the builds used that live under /usr (or /lib, /bin).
dirs=()
for d in "$CNXX_ROOT/build" "$CNXX_OUT"; do [ -d "$d" ] && dirs+=("$d"); done
[ ${#dirs[@]} -gt 0 ] || die "nothing built yet: run the builds (make check) first"
# The Debian system's root is a guest's, not a build of this machine.
{
	find "${dirs[@]}" -path "$CNXX_OUT/debian-system/root" -prune -o \
		-type f -name CMakeCache.txt -exec \
		sed -nE 's/^[A-Za-z0-9_.-]+:(PATH|FILEPATH)=(\/.*)$/\2/p' {} +
	find "${dirs[@]}" -path "$CNXX_OUT/debian-system/root" -prune -o \
		-type f \( -name link.txt -o -name '*.d' -o -name '.*.o.cmd' \) -exec cat {} + |
		tr ' \t\\:' '\n\n\n\n'
} | grep -E '^/(usr|lib|lib64|bin|sbin)/' | sort -u >"$work/files" || true

# Programs named in command position by the scripts and the Makefile.
sed -E 's/^[[:space:]]*#.*//; s/[[:space:]]#[^"'\'']*$//' \
	"$CNXX_ROOT"/scripts/*.sh "$CNXX_ROOT/Makefile" "$CNXX_ROOT/.ci/run" |
	grep -oE '(^|[|;&(`]|\$\(|\b(then|do|else|exec|timeout|env|if|while|until)\b)[[:space:]]*[a-z][a-z0-9_.+-]*' |
	grep -oE '[a-z][a-z0-9_.+-]*$' | sort -u | while read -r word; do
	PATH=/usr/sbin:/usr/bin:/sbin:/bin type -P "$word" || true
done >"$work/programs"

# Each file's owning packages, from dpkg's file lists in one pass: a path
# and its real path are each looked up with and without /usr (usr-merged
# systems record /lib/... for /usr/lib/...). owners: FILE, path|real, PKG.
cat "$work/files" "$work/programs" | sort -u | while read -r f; do
	real=$(readlink -f "$f" 2>/dev/null || echo "$f")
	printf '%s\t%s\t%s\n' "$f" "$f" path "${f#/usr}" "$f" path \
		"$real" "$f" real "${real#/usr}" "$f" real
done >"$work/variants"
awk -F'\t' 'NR == FNR { want[$1] = want[$1] " " $2 SUBSEP $3; next }
	FNR == 1 { pkg = FILENAME; sub(/.*\//, "", pkg); sub(/\.list$/, "", pkg); sub(/:.*/, "", pkg) }
	$0 in want {
		n = split(want[$0], o, " ")
		for (i = 1; i <= n; i++) { split(o[i], fk, SUBSEP); print fk[1] "\t" fk[2] "\t" pkg }
	}' "$work/variants" /var/lib/dpkg/info/*.list | sort -u >"$work/owners"

passed=0 failed=0
# check_list KIND FILE: prints each path of FILE whose link or real file
# no accepted package owns, and appends their packages to $work/missing;
# fails if any.
check_list() {
	local kind=$1 list=$2 f
	: >"$work/missing"
	while read -r f; do
		[ -e "$f" ] || continue
		case "$f" in /usr/include | /usr/lib | /usr/lib/*-linux-gnu | /usr/bin | /usr/sbin) continue ;; esac
		printf '%s\t%d\n' "$f" "$([ -d "$f" ] && echo 1 || echo 0)"
	done <"$list" >"$work/existing"
	awk -F'\t' -v kind="$kind" -v missing="$work/missing" '
		FILENAME == ARGV[1] { accepted[$1] = 1; next }
		FILENAME == ARGV[2] { owners[$1, $2] = owners[$1, $2] " " $3; owned[$1] = 1; next }
		!($1 in owned) {
			# directories are shared; a file from no package is not
			if (!$2) { print "# " kind " " $1 " comes from no Debian package"; bad++ }
			next
		}
		{
			for (side = 1; side <= 2; side++) {
				what = side == 1 ? "path" : "real"
				if (!(($1, what) in owners))
					continue
				# not a link: one set of owners, reported once
				if (what == "real" && owners[$1, "real"] == owners[$1, "path"])
					continue
				n = split(owners[$1, what], pkg, " ")
				ok = 0
				for (i = 1; i <= n; i++) if (pkg[i] in accepted) ok = 1
				if (ok)
					continue
				print "# " kind " " $1 (what == "real" ? " (its real file)" : "") " is from package \047" substr(owners[$1, what], 2) "\047, which scripts/packages does not list"
				for (i = 1; i <= n; i++) print pkg[i] >>missing
				bad++
			}
		}
		END { exit bad > 0 }' "$work/accepted" "$work/owners" "$work/existing"
}

n=0
for kind in "file:$work/files" "program:$work/programs"; do
	n=$((n + 1))
	if out=$(check_list "${kind%%:*}" "${kind#*:}"); then
		echo "ok $n - every ${kind%%:*} the build used comes from a listed package ($(wc -l <"${kind#*:}") checked)"
		passed=$((passed + 1))
	else
		echo "$out" | sort -u | sed -n 1,30p
		echo "not ok $n - ${kind%%:*}s from unlisted packages: $(sort -u "$work/missing" | tr '\n' ' ')"
		failed=$((failed + 1))
	fi
done
echo "RESULT passed=$passed failed=$failed skipped=0"
