# The tables of `make bench` from BENCH lines (cnbench, cnprocbench), each
# ending in round=R. Busybox awk in the guest, mawk on the host.
#
#   awk -v part=cn   -v reps=N -v kernel=K -v clock=C -v ms=MS -v mode=M \
#       -v cpus=N -v mem=M [-v builtin=UNIT] -f bench-table.awk RESULTS
#       the connector table: cn.ko, cnxx.ko, raw (in the guest)
#   awk -v part=proc -v reps=N -v kernel=K -v mode=M -v ms=MS \
#       [-v builtin=UNIT] -f bench-table.awk RESULTS...
#       process events: cnxx, cnxx_proc, the kernel's cn_proc (on the host,
#       from the figures of the base and the inproc kernel)
#
# builtin=UNIT: cnxx ran beside the kernel's built-in connector, on UNIT,
# and "cn" is that connector (a stock kernel, one boot).
#
# Cells are the median [min-max] of the runs; ratios the medians of
# per-round ratios, so a drift between rounds cancels out.

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
	return list == "" ? "-" : sprintf(rfmt, median(list))
}
# the same with the spread: median [min-max]
function ratio_spread(ka, a, kb, b,    list, m) {
	list = ratios(ka, a, kb, b)
	if (list == "")
		return "-"
	m = median(list)
	return sprintf(rfmt " [" rfmt "-" rfmt "]", m, lo, hi)
}
# A target on the ratio: op ">=" (rates) or "<=" (costs). A missed strict
# target counts in "missed"; a missed other one is "below" / "above".
function goal(what, ka, a, kb, b, op, want, strict,    list, m, ok, res) {
	list = ratios(ka, a, kb, b)
	if (list == "") {
		printf "# %-" gw "s %22s  %s %-4s %s\n", what, "-", op, want, "no data"
		if (strict)
			missed++
		return
	}
	m = median(list) + 0
	ok = op == ">=" ? m >= want + 0 : m <= want + 0
	res = ok ? "met" : (strict ? "MISSED" : (op == ">=" ? "below" : "above"))
	if (res == "MISSED")
		missed++
	printf "# %-" gw "s %22s  %s %-4s %s\n", what, sprintf(rfmt " [" rfmt "-" rfmt "]", m, lo, hi), op, want, res
}
# What cnxx must reach against cn.ko on workload k: more where cn.ko walks
# a list of ids (10000 registered; adding and removing them).
function cn_want(k) {
	if (k == "dispatch ids=10000")
		return "10"
	if (k ~ /^adddel /)
		return "20"
	return "1.0"
}
function clock_line() {
	if (mode == "icount")
		print "# guest clock: 1 ns per guest instruction (QEMU -icount shift=0), so 1 s = 10^9 instructions"
	else
		print "# guest clock: real time (QEMU TCG speed, varies with the host load)"
}

function cn_table(    i, k, line, prov) {
	gw = 36
	# a ratio of 0.996 must not read 1.00
	rfmt = "%.3f"
	printf "# cnxx bench: Linux %s, x86_64 under QEMU TCG, %d CPUs, %s, clocksource %s\n", kernel, cpus, mem, clock
	if (builtin != "")
		printf "# cn: the kernel's built-in connector (unit 11); cnxx beside it on unit %s, raw on unit %s\n", builtin, builtin
	clock_line()
	printf "# %d rounds, %d ms per workload and run%s;\n", reps, ms, sliced ? ", each run its best 5 ms slice" : ""
	printf "# median [min-max] of the runs; ratios are medians of per-round ratios\n"
	if (send2)
		printf "# send2: two senders at once on CPUs 0 and 1, all messages over the whole run; ratios with [min-max]\n"
	printf "# %-20s %-7s %-26s%-26s%-26s%8s %8s\n", "workload", "unit", cn_name, "cnxx", "raw", "cnxx/cn", "cnxx/raw"
	for (i = 1; i <= nk; i++) {
		k = keys[i]
		if (k ~ /^proc /)
			continue
		line = sprintf("%-20s %-7s %s%s%s", k, unit[k], cell(k, "cn"), cell(k, "cnxx"), cell(k, "raw"))
		# Two senders on a wall clock: the ratios scatter, so their spread.
		if (k ~ /^send2 /)
			printf "# %s%8s %8s\n", line, ratio_spread(k, "cnxx", k, "cn"), ratio_spread(k, "cnxx", k, "raw")
		else
			printf "# %s%8s %8s\n", line, ratio(k, "cnxx", k, "cn"), ratio(k, "cnxx", k, "raw")
	}
	if (("bcast size=0", "cnxx-g1024") in vals)
		printf "# %-20s %-7s %-26s%-26s%-26s%8s\n", "bcast size=0 g1024", unit["bcast size=0"], "-",
			cell("bcast size=0", "cnxx-g1024"), "-", "-"
	# Only the workloads this run measured (cnxx.only): no target for
	# the others.
	print "# targets (median [min-max] of per-round ratios):"
	for (i = 1; i <= nk; i++)
		if (keys[i] !~ /^proc /)
			goal(keys[i] ": cnxx / " cn_name, keys[i], "cnxx", keys[i], "cn", ">=", cn_want(keys[i]), 1)
	# Raw netlink does without the connector's registry: near it, not a must.
	for (i = 1; i <= nk; i++)
		if (keys[i] !~ /^proc / && (keys[i], "raw") in vals)
			goal(keys[i] ": cnxx / raw", keys[i], "cnxx", keys[i], "raw", ">=", "0.97", 0)
	# cnxx-g1024: groups=1024, the same burst to group 1000 of them.
	if (("bcast size=0", "cnxx-g1024") in vals)
		goal("bcast size=0: g1000 of 1024 / cnxx", "bcast size=0", "cnxx-g1024", "bcast size=0", "cnxx", ">=", "0.99", 1)
	split("cnxx cn raw", prov, " ")
	if (("mult16 size=64" in known) && ("single16 size=64" in known))
		for (i = 1; i <= 3; i++)
			if (prov[i] in seen)
				goal("mult16 / single16 (" prov[i] ")", "mult16 size=64", prov[i], "single16 size=64", prov[i], ">=", "4", prov[i] == "cnxx")
	printf "# cnxx targets missed: %d\n", missed
}

# (a) cnxx.ko only, (b) cnxx_proc.ko loaded, nobody listening, (c) one
# listener; on a build of the same kernel with the connector built in, the
# kernel's cn_proc idle and with the same listener (d).
function proc_table(    i, k, w, cd_want) {
	# a target of 2% wants a third digit
	gw = 52
	rfmt = "%.3f"
	if (builtin != "") {
		printf "# process events: Linux %s; cn_proc: the kernel's built-in one (unit 11); cnxx, cnxx_proc\n", kernel
		printf "# beside it on unit %s, the same boot; listener: cnproclisten\n", builtin
		cd_want = "1.05"
	} else {
		printf "# process events: Linux %s; cnxx, cnxx_proc: the base kernel; cn_proc: the same kernel\n", kernel
		printf "# with CONFIG_CONNECTOR=y, CONFIG_PROC_EVENTS=y (flavor inproc); listener: cnproclisten\n"
		cd_want = "1.2"
	}
	clock_line()
	printf "# %d rounds, %d ms per workload and run, cost = guest ns per iteration over the whole run;\n", reps, ms
	printf "# median [min-max] of the runs; ratios (of costs) are medians of per-round ratios\n"
	printf "# %-19s %-26s%-26s%-26s%-26s%-26s%7s %7s %7s %7s\n", "workload (ns/iter)", "(a) cnxx", "(b) cnxx_proc",
		"(c) cnxx_proc+listener", "cn_proc", "(d) cn_proc+listener", "b/a", "c/a", "d/cn", "c/d"
	for (i = 1; i <= nk; i++) {
		k = keys[i]
		if (k !~ /^proc /)
			continue
		w = substr(k, 6)
		printf "# %-19s %s%s%s%s%s%7s %7s %7s %7s\n", w, cell(k, "cnxx"), cell(k, "cnxx_proc"),
			cell(k, "cnxx_proc+listener"), cell(k, "cn_proc"), cell(k, "cn_proc+listener"),
			ratio(k, "cnxx_proc", k, "cnxx"), ratio(k, "cnxx_proc+listener", k, "cnxx"),
			ratio(k, "cn_proc+listener", k, "cn_proc"), ratio(k, "cnxx_proc+listener", k, "cn_proc+listener")
	}
	print "# targets (median [min-max] of per-round ratios of costs):"
	for (i = 1; i <= nk; i++) {
		k = keys[i]
		if (k !~ /^proc /)
			continue
		w = substr(k, 6)
		goal(w ": cnxx_proc idle / cnxx (b/a)", k, "cnxx_proc", k, "cnxx", "<=", "1.02", 1)
		goal(w ": listened, cnxx_proc / cn_proc (c/d)", k, "cnxx_proc+listener", k, "cn_proc+listener", "<=", cd_want, 1)
	}
	printf "# process-event targets missed: %d\n", missed
}

$1 == "BENCH" {
	p = val($2); k = val($3) " " $4
	seen[p] = 1
	if (!(k in known)) { known[k] = 1; keys[++nk] = k }
	if (k ~ /^send2 /)
		send2 = 1
	else if (k !~ /^proc /)
		sliced = 1
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
	cn_name = builtin != "" ? "built-in" : "cn.ko"
	if (part == "proc")
		proc_table()
	else
		cn_table()
}
