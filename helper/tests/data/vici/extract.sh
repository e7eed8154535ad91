#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# extract.sh RUN_LOG: writes the "vici-frame NAME HEX" lines that
# record-guest.sh printed into frames/NAME here, 32 bytes a line.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$here/frames"
mkdir -p "$here/frames/list"
grep -o 'vici-frame [^ ]* [0-9a-f]*' "$1" | while read -r _ name hex; do
	fold -w 64 <<<"$hex" >"$here/frames/$name"
done
ls -R "$here/frames"
