# SPDX-License-Identifier: GPL-2.0
#
# s2s: route-based IPsec site-to-site links for Linux.
#
#   make                  s2s.ko (against KVER's headers), helper/s2sctl, helper/s2sd
#   make check            install what is missing, build, and run every test
#   make check KERNEL=debug   the same on a KASAN/lockdep/kmemleak/UBSAN kernel
#   make check KVER=6.12.117+deb12-cloud-amd64   on another Debian kernel
#   make check TESTS=/some/dir/x.sh   only those suites in the QEMU guest
#   make demo             two sites in the QEMU test bed: what s2s does so far
#   make bench            s2s vs XFRM, WireGuard, plain forwarding in the QEMU
#                         test bed -> bench/results/<date>/ (BENCH_ROUNDS=7
#                         BENCH_SECONDS=5 ...; Documentation/benchmarks.rst)
#
# KVER defaults to the running kernel when its headers are installed, else to
# Debian 12's cloud kernel (linux-headers-cloud-amd64).

SHELL := /bin/bash
CACHE ?= /var/cache/s2s

debian_kver = $(patsubst linux-headers-%,%,$(firstword $(shell \
	dpkg-query -W -f='$${Depends}' linux-headers-cloud-amd64 2>/dev/null)))
KVER ?= $(if $(wildcard /lib/modules/$(shell uname -r)/build),$(shell uname -r),$(debian_kver))
KERNEL ?= debian

ifeq ($(KERNEL),debug)
# The debug kernel is built from Debian's linux-source and cached in $(CACHE);
# s2s is built against that tree.
BUNDLE = $(shell selftests/qemu/debug-kernel.sh)
KDIR = $(BUNDLE)/build
else
BUNDLE = $(shell selftests/qemu/debian-kernel.sh $(KVER))
KDIR ?= /lib/modules/$(KVER)/build
endif

MODULE_SRC := Kbuild dkms.conf module uapi

.PHONY: all module helper clean check check-run demo spec spec-check \
	unit dkms-check compat-check selftests deps bench

all: module helper

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 KCFLAGS=-Werror modules

helper:
	$(MAKE) -C helper

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean || true
	$(MAKE) -C helper clean
	rm -rf build

# Regenerate the uapi header and kernel policies from the YNL spec.
spec:
	scripts/ynl-gen.py Documentation/netlink/specs/s2s.yaml .

deps:
	scripts/deps.sh $(if $(filter command line,$(origin KVER)),$(KVER))

# Deps first, in their own make so that KVER and KDIR are evaluated once the
# headers are installed.
check: deps
	@$(MAKE) --no-print-directory check-run

check-run:
	scripts/check.sh --kernel $(KERNEL) --kver '$(KVER)' --tests '$(TESTS)'

demo: deps
	@$(MAKE) --no-print-directory all
	selftests/qemu/run.sh --kernel $(BUNDLE) --module s2s.ko \
		--bin helper/s2sctl --bin helper/s2sd selftests/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	scripts/bench.sh --kernel $(BUNDLE) --module s2s.ko
