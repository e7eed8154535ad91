#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Known answers: the module's KUnit suite s2s_esp_known_answers
# (module/esp_test.c) produces and opens published ESP packets
# (module/esp_test_vectors.h) with the data path's own ESP code. It runs when s2s.ko
# is loaded into a kernel with KUnit (the debug lane's); this suite loads
# the module afresh and turns each KUnit result into one of its own.
# Kernels without KUnit (Debian's) skip it, and say so.

source "$(dirname "$0")/lib.sh"

require_cmd dmesg modprobe

SUITE=s2s_esp_known_answers
# Every algorithm family must have at least one vector.
FAMILIES="aes-gcm chacha20-poly1305 aes-cbc"

grep -qw kunit_run_tests /proc/kallsyms 2>/dev/null ||
	ktap_skip_all "kernel without KUnit: the known-answer tests run in the debug lane (make check KERNEL=debug)"

# A fresh load runs the suite once; the marker finds this load's output.
modprobe -r s2s 2>/dev/null
if lsmod | grep -q '^s2s '; then
	ktap_plan 1
	ktap_fail "s2s could be unloaded to run its known-answer suite"
	ktap_finished
fi
marker="esp_kat $$ $(date +%s%N)"
kmsg_mark "$marker"
modprobe s2s || { ktap_plan 1; ktap_fail "modprobe s2s"; ktap_finished; }

log=$(mktemp)
# The suite has run when its own result line is out.
for _ in $(seq 100); do
	kmsg_since "$marker" >"$log"
	grep -Eq "^(not )?ok [0-9]+ $SUITE\$" "$log" && break
	sleep 0.1
done

# One result per vector and case: "        ok 2 aes-gcm-..." under
# "        # Subtest: s2s_kat_produce"; and one per case without vectors,
# "    ok 4 s2s_kat_chachapoly_produce" (a case with vectors ends on such a
# line too, its summary, which is not counted again).
results=$(awk -v suite="$SUITE" '
	$0 ~ "^    # Subtest: " suite "$" { in_suite = 1; next }
	!in_suite { next }
	/^        # Subtest: / { kase = $3; next }
	/^        (not )?ok [0-9]+ / {
		ok = ($1 == "ok")
		sub(/^        (not )?ok [0-9]+ /, "")
		print (ok ? "ok" : "not ok") " " kase ": " $0
	}
	/^    (not )?ok [0-9]+ / {
		ok = ($1 == "ok")
		sub(/^    (not )?ok [0-9]+ /, "")
		if ($0 != kase)
			print (ok ? "ok" : "not ok") " " $0
		kase = ""
	}
	$0 ~ "^(not )?ok [0-9]+ " suite "$" { exit }
' "$log")

n=$(grep -c . <<<"$results")
ktap_plan $((n + 1))
while IFS= read -r line; do
	[ -n "$line" ] || continue
	if [ "${line#not ok }" != "$line" ]; then
		ktap_fail "${line#not ok }"
		# What this case's failed expectations logged (every vector's).
		kase=${line#not ok }
		awk -v k="${kase%%:*}" '
			index($0, "# " k ": ") { p = 1; print; next }
			p && /^ *(# s2s_kat|(not )?ok |KTAP)/ { p = 0 }
			p' "$log" | head -n 30 | ktap_diag_file
	else
		ktap_ok "${line#ok }"
	fi
done <<<"$results"

t_families() {
	local f
	[ "$n" -gt 0 ] || { echo "no KUnit results for $SUITE:"; tail -n 30 "$log"; return 1; }
	for f in $FAMILIES; do
		for kase in s2s_kat_produce s2s_kat_open; do
			grep -q "^ok $kase: $f" <<<"$results" ||
				{ echo "no passing $kase vector for $f"; return 1; }
		done
	done
	# An SA's ChaCha20-Poly1305 is the library (chachapoly.c): its own cases.
	for kase in s2s_kat_chachapoly_produce s2s_kat_chachapoly_template; do
		grep -qx "ok $kase" <<<"$results" || { echo "$kase did not pass"; return 1; }
	done
	grep -Eq "^ok [0-9]+ $SUITE\$" "$log" || { echo "KUnit says the suite failed"; return 1; }
}
run_test "every algorithm family produced and opened, the ChaCha20 library too, suite passed" t_families

rm -f "$log"
ktap_finished
