#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Enable Debian's bookworm-backports suite (for the 6.12 kernel headers and
# image) using the mirror this machine already uses for bookworm itself.
# No mirror address is written in the repository: it is read from the
# machine's own apt configuration (deb822 .sources files or one-line .list).
set -euo pipefail

suite=bookworm-backports
out=/etc/apt/sources.list.d/s2s-$suite.sources

if grep -rqs "^[^#]*$suite" /etc/apt/sources.list /etc/apt/sources.list.d/ ; then
	exit 0
fi

# Print the URI of the first source that serves the "bookworm" suite.
bookworm_mirror() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		# deb822: paragraphs of "Key: value"; pick the one listing bookworm.
		awk 'BEGIN { RS = ""; FS = "\n" }
		     /(^|\n)Suites:[^\n]*[ \t]bookworm([ \t]|$|\n)/ || /(^|\n)Suites: bookworm([ \t]|\n|$)/ {
			for (i = 1; i <= NF; i++)
				if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); print a[2]; exit }
		     }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -e "$f" ] || continue
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/) break;
			if ($(i + 1) == "bookworm") { print $i; exit } }' "$f"
	done
}

mirror=$(bookworm_mirror | head -n 1)
if [ -z "$mirror" ]; then
	echo "apt-backports: no apt source for bookworm found; cannot derive a mirror" >&2
	exit 1
fi

cat > "$out" <<EOF
# Added by s2s scripts/apt-backports.sh: the machine's own bookworm mirror.
Types: deb
URIs: $mirror
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt-get update -qq
