#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# extract.sh [--status] RUN_LOG: writes the "vici-frame NAME HEX" lines
# that record.sh (or, with --status, record-status.sh) printed into
# frames/NAME here, 32 bytes a line. Each replaces only its own frames.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$1" = --status ]; then
	shift
	rm -rf "$here/frames/status"
else
	find "$here/frames" -mindepth 1 -maxdepth 1 ! -name status -exec rm -rf {} +
	mkdir -p "$here/frames/list"
fi
grep -o 'vici-frame [^ ]* [0-9a-f]*' "$1" | while read -r _ name hex; do
	mkdir -p "$(dirname "$here/frames/$name")"
	fold -w 64 <<<"$hex" >"$here/frames/$name"
done
ls -R "$here/frames"
