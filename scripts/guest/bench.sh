# The VM part of `make bench`: the same client and workloads against the
# kernel's cn.ko, cnxx.ko and the raw-netlink reference; then a table of
# medians, spreads and ratios.
#
# Interleaved finely, because the host's load drifts: for each workload
# group, each round runs every provider once, back to back (the starting
# provider rotates), and the ratios are medians of the per-round ratios.
# Kernel command line:
#   cnxx.reps=N        rounds per group (default 5)
#   cnxx.bench_ms=MS   time per workload and run (default 300)
#   cnxx.providers=L   comma-separated (default cn,cnxx,raw)
#   cnxx.only=W,...    these workloads only (cnbench --only names)
#   cnxx.clock=MODE    how QEMU runs the guest clock (icount or wall), for
#                      the table's header
. /cnxx/guest/lib.sh

reps=$(cmdline_param reps 5)
bench_ms=$(cmdline_param bench_ms 300)
mode=$(cmdline_param clock wall)
only=$(cmdline_param only "" | tr , ' ')
providers=$(cmdline_param providers cn,cnxx,raw | tr , ' ')
# Workloads measured in the same client run (cnbench --only).
groups=${only:-"dispatch-1 dispatch-100 dispatch-10000,adddel-10000 bcast-0 bcast-64
bcast-1024 single16,mult16 rtt"}
results=/tmp/bench.results
: >$results

provider_load() {
	case $1 in
	cn) insmod /cnxx/cn.ko && insmod /cnxx/cnbench_kmod.ko ;;
	cnxx) insmod /cnxx/cnxx.ko && insmod /cnxx/cnbench_kmod.ko ;;
	raw) insmod /cnxx/cnbench_raw.ko ;;
	*) echo "# unknown provider $1"; return 1 ;;
	esac
}

provider_unload() {
	case $1 in
	cn | cnxx)
		rmmod cnbench_kmod
		rmmod "$1"
		;;
	raw) rmmod cnbench_raw ;;
	esac
}

# bench_run PROVIDER GROUP ROUND: one client run; figures go to $results.
bench_run() {
	provider_load "$1" || { provider_unload "$1" 2>/dev/null; return 1; }
	cnbench --provider "$1" --time-ms "$bench_ms" --only "$2" >/tmp/run.out
	rc=$?
	sed -i "s/^BENCH .*/& round=$3/" /tmp/run.out
	sed 's/^/# /' /tmp/run.out
	grep '^BENCH ' /tmp/run.out >>$results
	provider_unload "$1" || rc=1
	return $rc
}

# The table: per workload, median [min-max] over the rounds per provider,
# and the medians of the per-round ratios. Fails without figures from
# every provider, or without a TSC clock.
bench_table() {
	clock=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
	echo "# cnxx-bench-table begin"
	awk -v reps="$reps" -v kernel="$(uname -r)" -v clock="$clock" -v ms="$bench_ms" -v mode="$mode" \
		-v cpus="$(grep -c ^processor /proc/cpuinfo)" \
		-v mem="$(awk '/^MemTotal/ { printf "%d MB", $2 / 1024 }' /proc/meminfo)" '
	function val(s) { sub(/^[^=]*=/, "", s); return s }
	function add(list, v) { return list == "" ? v : list " " v }
	# median of list "v1 v2 ..."; sets lo and hi.
	function median(list,    a, n, i, j, t) {
		n = split(list, a, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		lo = a[1]; hi = a[n]
		if (n % 2)
			return a[(n + 1) / 2] + 0
		return (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function cell(k, p,    m) {
		if (!((k, p) in vals))
			return sprintf("%-26s", "-")
		m = median(vals[k, p])
		return sprintf("%-26s", sprintf("%.0f [%.0f-%.0f]", m, lo, hi))
	}
	# per-round ratios of workload ka of provider a to kb of provider b
	function ratios(ka, a, kb, b,    r, list) {
		list = ""
		for (r = 1; r <= maxround; r++)
			if ((ka, a, r) in rate && (kb, b, r) in rate && rate[kb, b, r] > 0)
				list = add(list, rate[ka, a, r] / rate[kb, b, r])
		return list
	}
	function ratio(ka, a, kb, b,    list) {
		list = ratios(ka, a, kb, b)
		return list == "" ? "-" : sprintf("%.2f", median(list))
	}
	function goal(what, ka, a, kb, b, want, strict,    list, m, res) {
		list = ratios(ka, a, kb, b)
		if (list == "") {
			printf "# %-36s %22s  >= %-4s %s\n", what, "-", want, "no data"
			if (strict)
				missed++
			return
		}
		m = median(list) + 0
		res = m >= want + 0 ? "met" : (strict ? "MISSED" : "below")
		if (res == "MISSED")
			missed++
		printf "# %-36s %22s  >= %-4s %s\n", what, sprintf("%.2f [%.2f-%.2f]", m, lo, hi), want, res
	}
	$1 == "BENCH" {
		p = val($2); k = val($3) " " $4
		seen[p] = 1
		if (!(k in known)) { known[k] = 1; keys[++nk] = k }
		unit[k] = val($6)
		r = val($NF)
		if (r + 0 > maxround)
			maxround = r + 0
		if (val($5) == "na")
			next
		vals[k, p] = add(vals[k, p], val($5))
		rate[k, p, r] = val($5)
	}
	END {
		printf "# cnxx bench: Linux %s, x86_64 under QEMU TCG, %d CPUs, %s, clocksource %s\n", kernel, cpus, mem, clock
		if (mode == "icount")
			print "# guest clock: 1 ns per guest instruction (QEMU -icount shift=0), so 1 s = 10^9 instructions"
		else
			print "# guest clock: real time (QEMU TCG speed, varies with the host load)"
		printf "# %d rounds, %d ms per workload and run, each run its best 5 ms slice;\n", reps, ms
		printf "# median [min-max] of the runs; ratios are medians of per-round ratios\n"
		printf "# %-20s %-7s %-26s%-26s%-26s%8s %8s\n", "workload", "unit", "cn.ko", "cnxx", "raw", "cnxx/cn", "cnxx/raw"
		for (i = 1; i <= nk; i++) {
			k = keys[i]
			line = sprintf("%-20s %-7s %s%s%s", k, unit[k], cell(k, "cn"), cell(k, "cnxx"), cell(k, "raw"))
			printf "# %s%8s %8s\n", line, ratio(k, "cnxx", k, "cn"), ratio(k, "cnxx", k, "raw")
		}
		print "# targets (median [min-max] of per-round ratios):"
		goal("dispatch ids=1: cnxx / cn.ko", "dispatch ids=1", "cnxx", "dispatch ids=1", "cn", "1.0", 1)
		goal("dispatch ids=10000: cnxx / cn.ko", "dispatch ids=10000", "cnxx", "dispatch ids=10000", "cn", "10", 1)
		goal("adddel ids=10000: cnxx / cn.ko", "adddel ids=10000", "cnxx", "adddel ids=10000", "cn", "20", 1)
		for (i = 1; i <= nk; i++) {
			if (keys[i] !~ /^bcast /)
				continue
			goal(keys[i] ": cnxx / cn.ko", keys[i], "cnxx", keys[i], "cn", "1.0", 1)
			goal(keys[i] ": cnxx / raw", keys[i], "cnxx", keys[i], "raw", "0.9", 1)
		}
		split("cnxx cn raw", prov, " ")
		for (i = 1; i <= 3; i++)
			if (prov[i] in seen)
				goal("mult16 / single16 (" prov[i] ")", "mult16 size=64", prov[i], "single16 size=64", prov[i], "4", prov[i] == "cnxx")
		printf "# cnxx targets missed: %d\n", missed
	}' $results
	echo "# cnxx-bench-table end"
	# A jiffies clock ticks every 4 ms: no usable figure.
	case $clock in
	tsc | tsc-early) ;;
	*) echo "# clocksource is $clock, not tsc: timings unusable"; return 1 ;;
	esac
	for p in $providers; do
		grep -q "^BENCH provider=$p " $results || { echo "# no figures from $p"; return 1; }
	done
}

steps() {
	order=$providers
	for g in $groups; do
		r=1
		while [ $r -le "$reps" ]; do
			for p in $order; do
				step "$(echo "$g" | tr , +)_${p}_$r" bench_run "$p" "$g" "$r"
			done
			# Rotate: no provider always runs first or last.
			set -- $order
			first=$1
			shift
			order="$* $first"
			r=$((r + 1))
		done
	done
	step table bench_table
}
run_job steps
