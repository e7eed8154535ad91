#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# results.sh OUTPUT_LOG CONSOLE_LOG [GUEST_RC]: judge one test-bed run.
#
#   OUTPUT_LOG   what the guest's init and the suites printed (serial port 2)
#   CONSOLE_LOG  the kernel console (serial port 1)
#   GUEST_RC     exit status of QEMU under timeout(1): 124 = timed out
#
# Counts KTAP test cases per suite between the init's "# s2s-run:" markers,
# turns suite-level trouble into failures (non-zero exit without a failing
# test, fewer results than planned, suite timeout, guest died mid-suite or
# never finished), fails on kernel problem reports in either log and on a
# kernel taint that means WARN/oops/bad page/lockup, and prints as its LAST
# line exactly "N passed, N failed, N skipped". Exit status 1 if anything
# failed.
#
# Kept separate from run.sh so it can be tried on a hand-made log.

set -uo pipefail

[ $# -ge 2 ] || { echo "usage: $0 OUTPUT_LOG CONSOLE_LOG [GUEST_RC]" >&2; exit 2; }
outlog=$1
conlog=$2
grc=${3:-0}

# Kernel problem reports. "WARNING:" alone also matches harmless boot notes
# (CPU bug mitigation messages), so WARN() is matched by its exact shape and
# lockdep's "WARNING: ..." headers by their own words.
PROBLEMS='WARNING: CPU: [0-9]+ PID: [0-9]+|WARNING: .*\<(lock|locking|unlock|RCU)\>|BUG: |kernel BUG at|Oops[:]|general protection fault|KASAN:|UBSAN:|KFENCE:|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|unreferenced object 0x|Kernel panic|INFO: task .* blocked for more than|detected stalls? on CPU|soft lockup|hard LOCKUP|refcount_t: |list_(add|del) corruption'

awk -v grc="$grc" '
function finish_suite(why,    ran, msg) {
	ran = s_pass + s_fail + s_skip
	msg = ""
	if (why != "") {
		s_fail++; msg = why
	} else if (rc == 4) {
		if (s_pass + s_fail == 0 && s_skip == 0)
			s_skip++
		else if (plan != "" && ran < plan)
			s_skip += plan - ran
	} else if (rc != 0) {
		if (rc == 124 || rc == 137)
			msg = "timed out"
		if (s_fail == 0) {
			s_fail++
			if (msg == "") msg = "exited " rc " without a failing test"
		} else if (msg == "" && rc != 1)
			msg = "exited " rc
	} else if (plan != "" && ran != plan) {
		s_fail++; msg = "planned " plan " tests, ran " ran
	} else if (ran == 0) {
		s_fail++; msg = "printed no test result"
	}
	pass += s_pass; fail += s_fail; skip += s_skip
	printf "# %-28s pass %d fail %d skip %d  rc=%s  %s%s\n", suite ":", \
		s_pass, s_fail, s_skip, rc, (ms != "" ? sprintf("%.1f s", ms / 1000) : ""), \
		(msg != "" ? "  <- " msg : "")
	suite = ""
}
{ sub(/\r$/, "") }
/^# s2s-run: suite-begin / {
	if (suite != "") { rc = "?"; finish_suite("no end marker") }
	suite = $4; s_pass = s_fail = s_skip = 0; plan = ""; rc = ""; ms = ""
	nsuites++
	next
}
/^# s2s-run: suite-end / {
	rc = ""; ms = ""
	for (i = 5; i <= NF; i++) {
		if ($i ~ /^rc=/) rc = substr($i, 4) + 0
		if ($i ~ /^ms=/) ms = substr($i, 4) + 0
	}
	finish_suite("")
	next
}
/^# s2s-run: done/ { done = 1; next }
/^# s2s-run: tainted / { taint = $4 + 0; next }
suite == "" { next }
/^1\.\.[0-9]+/ { if (plan == "") { plan = substr($1, 4) + 0 } next }
/^ok [0-9]+/ {
	if (tolower($0) ~ /# *skip/) s_skip++; else s_pass++
	next
}
/^not ok [0-9]+/ {
	if (tolower($0) ~ /# *(skip|todo)/) s_skip++; else s_fail++
	next
}
END {
	if (suite != "") {
		rc = "?"
		finish_suite(grc == 124 ? "guest timed out during this suite" : "guest died during this suite")
	}
	if (!done) {
		fail++
		print "# guest did not finish (" (grc == 124 ? "timeout" : "no completion marker, exit " grc) ")"
	}
	# W=512 warning, D=128 oops/die, B=32 bad page, L=16384 soft lockup
	if (taint != "" && (int(taint / 512) % 2 || int(taint / 128) % 2 ||
	    int(taint / 32) % 2 || int(taint / 16384) % 2)) {
		fail++
		print "# kernel tainted " taint " (warning, oops, bad page or lockup)"
	}
	printf "%d %d %d %d\n", pass, fail, skip, nsuites > "/dev/stderr"
}
' "$outlog" 2>"$outlog.counts"
read -r pass fail skip _ <"$outlog.counts"
rm -f "$outlog.counts"

probs=$(for f in "$conlog" "$outlog"; do
	tr -d '\r' <"$f" 2>/dev/null | grep -nE "$PROBLEMS" | sed "s|^|$(basename "$f"):|"
done)
if [ -n "$probs" ]; then
	fail=$((fail + 1))
	echo "# kernel problem reported:"
	echo "$probs" | head -n 20 | sed 's/^/#   /'
	# The first report with some context (the full text is in the log).
	for f in "$conlog" "$outlog"; do
		first=$(tr -d '\r' <"$f" 2>/dev/null | grep -nE "$PROBLEMS" | head -n1 | cut -d: -f1)
		if [ -n "$first" ]; then
			echo "# --- $f from line $((first > 3 ? first - 3 : 1)):"
			tr -d '\r' <"$f" | sed -n "$((first > 3 ? first - 3 : 1)),$((first + 25))p" | sed 's/^/#   /'
			break
		fi
	done
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
