#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the records selftests/bench/bench.sh printed into a report.

    bench-report.py --log OUTPUT_LOG --out DIR [--host-info KEY=VALUE]...
    bench-report.py --json results.json --out DIR    (rebuild a report)

Reads every "# bench: {json}" line of the guest output, and writes
DIR/results.json (all records plus the computed summary), DIR/results.md
(tables of medians of per-round ratios with their spread, set against the
goals of the benchmark issue) and DIR/chart.svg. Every number comes from
the log; a metric without samples is reported as missing, never guessed.
Standard library only. Exit status 1 when the log holds no complete run.
"""

import argparse
import json
import math
import os
import statistics
import sys

PREFIX = "# bench: "

CONFIG_ORDER = ["plain", "xfrm", "xfrm-cbc", "xfrm-natt", "wg", "s2s-aes256gcm",
                "s2s-par", "s2s-inline", "s2s-aes128gcm", "s2s-chacha", "s2s-cbc",
                "s2s-natt"]
CONFIG_LABEL = {
    "plain": "plain forwarding (ceiling)",
    "xfrm": "XFRM tunnel + xfrmi, AES-256-GCM",
    "xfrm-cbc": "XFRM tunnel + xfrmi, AES-256-CBC + HMAC-SHA-256",
    "xfrm-natt": "XFRM tunnel + xfrmi, AES-256-GCM in UDP (NAT-T)",
    "wg": "WireGuard",
    "s2s-aes256gcm": "s2s AES-256-GCM",
    "s2s-par": "s2s AES-256-GCM, crypto always on the other CPU",
    "s2s-inline": "s2s AES-256-GCM, crypto never on the other CPU",
    "s2s-aes128gcm": "s2s AES-128-GCM",
    "s2s-chacha": "s2s ChaCha20-Poly1305",
    "s2s-cbc": "s2s AES-256-CBC + HMAC-SHA-256",
    "s2s-natt": "s2s AES-256-GCM in UDP (NAT-T)",
}
# The AEAD each configuration uses, by bench-aead name.
CONFIG_ALG = {
    "xfrm": "aes-gcm-256", "s2s-aes256gcm": "aes-gcm-256", "s2s-par": "aes-gcm-256",
    "s2s-inline": "aes-gcm-256",
    "s2s-aes128gcm": "aes-gcm-128", "s2s-chacha": "chacha20-poly1305",
    "s2s-cbc": "aes-cbc-256-sha256", "xfrm-cbc": "aes-cbc-256-sha256",
    "xfrm-natt": "aes-gcm-256", "s2s-natt": "aes-gcm-256",
}


def udp_encap(cfg):
    """Whether CFG carries ESP in UDP (RFC 3948): the -natt configurations,
    named so by selftests/bench/bench.sh; the rest send plain ESP."""
    return cfg.endswith("-natt")


# The AEADs bench-aead measures, in the report's order.
CRYPTO_ALGS = ("aes-gcm-256", "aes-gcm-128", "chacha20-poly1305", "aes-cbc-256-sha256")
# The s2s configurations that have an XFRM control with their algorithm
# and encapsulation.
XFRM_CONFIGS = ("xfrm", "xfrm-cbc", "xfrm-natt")
SAME_ALG_XFRM = {c: x for c, alg in CONFIG_ALG.items() if c.startswith("s2s-")
                 for x in XFRM_CONFIGS if CONFIG_ALG[x] == alg
                 and udp_encap(x) == udp_encap(c)}
# metric: (label, unit, higher is better)
METRICS = {
    "tcp1": ("TCP, 1 flow", "Mbit/s", True),
    "tcp2": ("TCP, 2 flows", "Mbit/s", True),
    "udp64": ("UDP 64 B", "pkt/s", True),
    "udp1400": ("UDP 1400 B", "pkt/s", True),
    "cpu_per_gb": ("CPU per GB (TCP 1 flow)", "CPU-s/GB", False),
    "ping_ms": ("ping median", "ms", False),
    "rr_us": ("UDP RR median", "us", False),
    "rr_p90_us": ("UDP RR 90th percentile", "us", False),
    "rr_tps": ("UDP RR rate", "1/s", True),
    "gw_tcp1": ("TCP from the gateway", "Mbit/s", True),
    "norekey_lost": ("lost, no rekey (control)", "packets", False),
    "rekey_lost": ("lost across one rekey", "packets", False),
    "norekey_path_lost": ("lost on the path, no rekey", "packets", False),
    "rekey_path_lost": ("lost on the path across one rekey", "packets", False),
}
RATIO_METRICS = ["tcp1", "tcp2", "udp64", "udp1400", "gw_tcp1", "cpu_per_gb",
                 "ping_ms", "rr_us", "rr_p90_us", "rr_tps"]


def parse_log(path):
    records = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.startswith(PREFIX):
                continue
            try:
                records.append(json.loads(line[len(PREFIX):]))
            except json.JSONDecodeError as e:
                print(f"bench-report: unparseable record ({e}): {line[:120]}",
                      file=sys.stderr)
    return records


def median(v):
    return statistics.median(v) if v else None


def spread(v):
    return (min(v), max(v)) if v else (None, None)


def fmt(x, digits=3, exact_ints=True):
    if x is None:
        return "—"
    if x == 0:
        return "0"
    if exact_ints and float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    mag = math.floor(math.log10(abs(x)))
    if mag >= digits - 1:
        return f"{x:,.0f}"
    return f"{x:.{max(0, digits - 1 - mag)}f}"


# The crypto-only figures a serial limit is computed from, the first one
# measured judging the goal. "kernel": a packet-size request encrypted in
# the kernel (bench_aead_kernel.ko) as s2s's data path encrypts a packet
# (the transform ESP allocates, IV generator included; ChaCha20-Poly1305 on
# the library routines), one after another as a busy link's packets are:
# everything the crypto costs per packet counts, no system call does.
# "marginal": the rate of the bytes between two requests that both run the
# code the driver runs for a packet (PACKET_SIZES). Their difference leaves
# out the AF_ALG system calls, which under TCG cost as much as a packet's
# crypto, and also what the crypto itself costs per request whatever its
# size, which a real packet pays (so the limit comes out high); it keeps
# AF_ALG's copy of the input, which a packet does not pay (so the limit
# comes out low). "16k":
# one 16 KiB request, which spreads the system calls thinly but may run
# other code: Linux 6.1's AES-GCM takes its AVX2 code from 4 KiB on, its
# AVX code from 640 B (Documentation/benchmarks.rst).
PACKET_SIZES = (1420, 3968)
LARGE_SIZE = 16384
CRYPTO_SIZES = PACKET_SIZES + (LARGE_SIZE,)
KERNEL_METRIC = f"crypto_kernel_{PACKET_SIZES[0]}"
# The same request encrypted and decrypted again, as gateways A and B pass
# every packet through the AEAD: information beside the limit, not a
# reference of it (the serial limit counts one crypto pass).
KERNEL_RT_METRIC = f"crypto_kernel_rt_{PACKET_SIZES[0]}"
SERIAL_REFS = ("kernel", "marginal", "16k")
SERIAL_REF_LABEL = {
    "kernel": f"in the kernel, {PACKET_SIZES[0]} B",
    "marginal": f"the marginal rate, {PACKET_SIZES[0]} to {PACKET_SIZES[1]} B",
    "16k": f"one {LARGE_SIZE // 1024} KiB request",
}


def stats_of(v):
    if not v:
        return None
    return {"median": median(v), "min": min(v), "max": max(v), "n": len(v)}


def request_sizes(samples):
    """The bytes bench-aead really encrypted per operation, by metric name
    and algorithm (CBC rounds a request up to whole blocks)."""
    out = {}
    for s in samples:
        size = s["detail"].get("size") if isinstance(s.get("detail"), dict) else None
        if s["metric"].startswith("crypto_") and size:
            out[(s["config"], s["metric"])] = size
    return out


def crypto_reference(value, sizes, alg, ref):
    """Crypto-only Mbit/s per round of ALG, by reference (SERIAL_REFS)."""
    cfg = "crypto-" + alg
    d = value.get(cfg, {})
    if ref == "kernel":
        return dict(d.get(KERNEL_METRIC, {}))
    if ref == "16k":
        return dict(d.get(f"crypto_{LARGE_SIZE}", {}))
    names = [f"crypto_{n}" for n in PACKET_SIZES]
    small, large = (d.get(m, {}) for m in names)
    n1, n2 = (sizes.get((cfg, m), n) for m, n in zip(names, PACKET_SIZES))
    out = {}
    for r in small.keys() & large.keys():
        if not small[r] or not large[r]:
            continue
        # Microseconds per operation are 8 n / rate; the rate of the bytes
        # in between is their count over the difference of those times. A
        # round whose larger request was not the slower one has none.
        extra = n2 / large[r] - n1 / small[r]
        if extra > 0:
            out[r] = (n2 - n1) / extra
    return out


def summarise(records):
    """Per-metric values by round and the derived ratios."""
    samples = [r for r in records if r.get("type") == "sample"]
    measured = sorted({s["round"] for s in samples if s["round"] >= 1})
    # value[config][metric][round]
    value = {}
    for s in samples:
        if s["round"] < 1:
            continue
        value.setdefault(s["config"], {}).setdefault(s["metric"], {})[s["round"]] = s["value"]

    def per_round_ratio(cfg, metric, ref_cfg, ref_metric=None):
        a = value.get(cfg, {}).get(metric, {})
        b = value.get(ref_cfg, {}).get(ref_metric or metric, {})
        return [a[r] / b[r] for r in measured if r in a and r in b and b[r]]

    absolute = {}
    for cfg, metrics in value.items():
        for m, byround in metrics.items():
            v = [byround[r] for r in measured if r in byround]
            absolute.setdefault(cfg, {})[m] = {
                "median": median(v), "min": spread(v)[0], "max": spread(v)[1],
                "n": len(v), "rounds": v}

    ratios = {"vs_xfrm": {}, "vs_plain": {}, "vs_xfrm_same_alg": {}}
    refs = [("xfrm", "vs_xfrm", cfg) for cfg in value] + \
        [("plain", "vs_plain", cfg) for cfg in value] + \
        [(ref, "vs_xfrm_same_alg", cfg) for cfg, ref in SAME_ALG_XFRM.items()]
    for ref, key, cfg in refs:
        for m in RATIO_METRICS:
            v = per_round_ratio(cfg, m, ref)
            if v:
                ratios[key].setdefault(cfg, {})[m] = {
                    "median": median(v), "min": min(v), "max": max(v),
                    "n": len(v)}

    # Serial limit per round: one CPU that forwards at the plain rate and
    # encrypts at the crypto-only rate, one after the other; from each
    # crypto reference (SERIAL_REFS).
    sizes = request_sizes(samples)
    plain = value.get("plain", {}).get("tcp1", {})
    serial = {"crypto_mbit": {}, "by_reference": {}}
    for ref in SERIAL_REFS:
        crypto_of = {alg: crypto_reference(value, sizes, alg, ref) for alg in CRYPTO_ALGS}
        for alg, crypto in crypto_of.items():
            if crypto:
                serial["crypto_mbit"].setdefault(ref, {})[alg] = stats_of(list(crypto.values()))
        for cfg, alg in CONFIG_ALG.items():
            crypto = crypto_of[alg]
            got = value.get(cfg, {}).get("tcp1", {})
            lim, frac = [], []
            for r in measured:
                if crypto.get(r) and plain.get(r):
                    s = 1 / (1 / plain[r] + 1 / crypto[r])
                    lim.append(s)
                    if r in got:
                        frac.append(got[r] / s)
            if lim:
                serial["by_reference"].setdefault(ref, {})[cfg] = {
                    "limit_mbit": stats_of(lim),
                    "fraction": stats_of(frac), "fraction_rounds": frac}
    return measured, value, absolute, ratios, serial


def goals(value, measured, ratios, serial, absolute):
    """The issue's goals, each with the measured median ratio."""
    out = []

    def ratio_of(cfg, metric, ref):
        v = []
        a = value.get(cfg, {}).get(metric, {})
        b = value.get(ref, {}).get(metric, {})
        for r in measured:
            if r in a and r in b and b[r]:
                v.append(a[r] / b[r])
        return v

    def add(name, v, target, higher, note=""):
        if not v:
            out.append({"goal": name, "target": target, "median": None,
                        "min": None, "max": None, "met": None, "note": note or "not measured"})
            return
        m = median(v)
        met = m >= target if higher else m <= target
        out.append({"goal": name, "target": target, "median": m, "min": min(v),
                    "max": max(v), "met": met, "note": note})

    add("TCP 1 flow ≥ 1.5× XFRM+xfrmi (AES-256-GCM)",
        ratio_of("s2s-aes256gcm", "tcp1", "xfrm"), 1.5, True)
    add("TCP 2 flows ≥ 1.5× XFRM+xfrmi (AES-256-GCM)",
        ratio_of("s2s-aes256gcm", "tcp2", "xfrm"), 1.5, True)
    add("ChaCha20-Poly1305 TCP ≥ 1.1× WireGuard",
        ratio_of("s2s-chacha", "tcp1", "wg"), 1.1, True)
    for cfg in ("s2s-aes256gcm", "s2s-aes128gcm", "s2s-chacha", "s2s-cbc"):
        # The first reference measured (SERIAL_REFS) judges; the others'
        # medians are given beside it.
        by_ref = serial["by_reference"]
        have = [ref for ref in SERIAL_REFS
                if by_ref.get(ref, {}).get(cfg, {}).get("fraction_rounds")]
        ref = have[0] if have else None
        note = "; ".join(
            f"against {SERIAL_REF_LABEL[o]}: {fmt(by_ref[o][cfg]['fraction']['median'], exact_ints=False)}×"
            for o in have[1:])
        if ref:
            note = f"crypto: {SERIAL_REF_LABEL[ref]}" + (f"; {note}" if note else "")
            if by_ref[ref][cfg]["fraction"]["median"] > 1:
                # Both vCPUs share two crypto passes per byte, the limit
                # charges each at the encryption rate.
                note += ("; above 1×: the gateways' encryption and decryption cost "
                         "less than two encryptions at the reference's rate")
        add(f"{CONFIG_LABEL[cfg]} TCP ≥ 0.8× serial limit",
            by_ref[ref][cfg]["fraction_rounds"] if ref else [], 0.8, True, note)
    add("64-byte UDP pkt/s ≥ 1.5× XFRM", ratio_of("s2s-aes256gcm", "udp64", "xfrm"),
        1.5, True)
    add("ping median ≤ 1.0× XFRM", ratio_of("s2s-aes256gcm", "ping_ms", "xfrm"),
        1.0, False)
    add("UDP request/response median ≤ 1.0× XFRM",
        ratio_of("s2s-aes256gcm", "rr_us", "xfrm"), 1.0, False)
    for cfg in ("s2s-aes256gcm", "xfrm"):
        name = f"zero loss on the path per rekey ({CONFIG_LABEL[cfg]}, packets)"
        lost = absolute.get(cfg, {}).get("rekey_path_lost")
        if lost:
            v = lost["rounds"]
            out.append({"goal": name, "target": 0, "median": median(v), "min": min(v),
                        "max": max(v), "met": max(v) == 0,
                        "note": "every round; receiver socket drops excluded"})
        else:
            out.append({"goal": name, "target": 0, "median": None, "min": None,
                        "max": None, "met": None, "note": "not measured"})
    return out


def busy_host(host):
    """A sentence when the host was busy with other work: a 1-minute load
    average of 1.5 or more before the guest started, or other processes
    using a quarter of a CPU or more on average during the run. (The load
    average at the end counts the guest's own vCPUs, so it judges nothing.)
    Else ""."""
    said = []
    try:
        start = float(host.get("host_load_start", "").split()[0])
        if start >= 1.5:
            said.append(f"1-minute load average {start:g} before the guest started")
    except (ValueError, IndexError):
        pass
    try:
        other = float(host["host_other_cpu_seconds"])
        secs = float(host["host_seconds"])
        if secs > 0 and other / secs >= 0.25:
            said.append(f"other processes used {other:g} CPU-seconds in the run's "
                        f"{secs:g} s ({other / secs:.2f} CPUs on average)")
    except (KeyError, ValueError):
        pass
    if not said:
        return ""
    return "; ".join(said) + f", on {host.get('host_cpus', '?')} host CPUs."


def scale_summary(scale):
    if not scale:
        return None
    n_l, n_s, k = scale["links"]["count"], scale["sas"]["count"], scale["kib"]
    return {
        "links": n_l, "links_seconds": scale["links"]["seconds"],
        "sas": n_s, "sas_seconds": scale["sas"]["seconds"],
        "slab_bytes_per_sa": (k["sas"]["slab"] - k["links"]["slab"]) * 1024 / n_s,
        "percpu_bytes_per_sa": (k["sas"]["percpu"] - k["links"]["percpu"]) * 1024 / n_s,
        "memfree_drop_bytes_per_sa": (k["links"]["free"] - k["sas"]["free"]) * 1024 / n_s,
        "slab_bytes_per_link": (k["links"]["slab"] - k["before"]["slab"]) * 1024 / n_l,
    }


def _leaves(obj, path=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _leaves(v, f"{path}[{i}]")
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        yield path, obj


def drop_totals(records):
    """Sum of non-zero drop/error counters per configuration and gateway.

    Counters are cumulative per configuration instance, which is created
    afresh every round, so the per-round values add up."""
    tot = {}
    for r in records:
        if r.get("type") != "counters" or r.get("round", 0) < 1:
            continue
        data = r.get("s2s", r.get("xfrm_stat"))
        for path, v in _leaves(data):
            low = path.lower()
            if v and ("drop" in low or "err" in low or "xfrm_stat" in r):
                key = (r["config"], r["ns"], path)
                tot[key] = tot.get(key, 0) + v
    return tot


def handoff_shares(records, field="packets"):
    """Per s2s configuration, the share of its packets (encrypted plus
    decrypted, both gateways, all metrics of a round) whose crypto ran on
    a worker of another CPU ("packets"), or was done inline but completed
    asynchronously by the driver ("inline_async"), one value per measured
    round with that field."""
    crypted = {}
    for r in records:
        if r.get("type") != "counters" or r.get("round", 0) < 1 or "s2s" not in r:
            continue
        n = sum(link.get("stats", {}).get("tx_packets", 0) +
                link.get("stats", {}).get("rx_packets", 0) for link in r["s2s"])
        key = (r["config"], r["round"])
        crypted[key] = crypted.get(key, 0) + n
    shares = {}
    for r in records:
        if r.get("type") != "handoff" or r.get("round", 0) < 1 or field not in r:
            continue
        total = crypted.get((r["config"], r["round"]))
        if total:
            shares.setdefault(r["config"], []).append(r[field] / total)
    return shares


def handoffs_per_metric(records):
    """Per s2s configuration and metric, the packets whose crypto a worker
    on another CPU took while that metric ran, one value per measured
    round. Pings and request/response exchanges handed off pay for it in
    latency: this shows whether they were."""
    out = {}
    for r in records:
        if r.get("type") != "handoff" or r.get("round", 0) < 1:
            continue
        for metric, n in r.get("per_metric", {}).items():
            out.setdefault(r["config"], {}).setdefault(metric, []).append(n)
    return out


TCP_METRICS = ["tcp1", "tcp2", "gw_tcp1"]
# The metrics bench.sh measures for each configuration, in its order.
RUN_ORDER = ["tcp1", "tcp2", "udp64", "udp1400", "ping", "rr", "gw_tcp1"]


def par_windows_section(records):
    """Markdown lines for the traced hand-off decisions (BENCH_TRACE), if any:
    per traced run and CPU, how its saturated load windows went and what the
    windows it learned from carried each way."""
    wins = [r for r in records if r.get("type") == "par_windows"]
    if not wins:
        return []
    runs = {(r["config"], r["metric"]): r for r in records
            if r.get("type") == "par_trace_run"}
    L = ["## Hand-off decisions, window by window (`BENCH_TRACE`)\n",
         "One run per configuration and metric after the rounds, with the trace "
         "event `s2s:s2s_par_window` on (one event per CPU per load window, "
         "module/s2s_trace.h). Per CPU: its load windows, those it counted as "
         "saturated, those after which it handed off; and per way a saturated "
         "window ran, the windows the rule learned from and what entered s2s on "
         "that CPU during them (both directions of both gateways, so about twice "
         "the packets carried when the whole path runs on it), mean ± standard "
         "deviation:\n",
         "| configuration | metric | run | CPU | windows | saturated | then handed off "
         "| inline: learned from | inline: pkt/s | handed off: learned from "
         "| handed off: pkt/s |",
         "|---|---|---|---|---|---|---|---|---|---|---|"]
    for w in sorted(wins, key=lambda r: (r["config"], r["metric"], r["cpu"])):
        run = runs.get((w["config"], w["metric"]), {})
        if "pkt_s" in run:
            what = (f"{run['pkt_s']:,.0f} pkt/s, {run.get('lost', 0):,} of "
                    f"{run.get('sent', 0):,} lost ({run.get('receiver_rcvbuf_errors', 0):,} "
                    f"at the receiving socket, {run.get('backlog_drops', 0):,} in input "
                    "backlogs)")
        elif "mbit_s" in run:
            what = f"{run['mbit_s']:,.0f} Mbit/s"
        else:
            what = "—"
        ways = []
        for k in ("inline", "handed_off"):
            way = w.get(k) or {}
            n = way.get("learned", 0)
            ways += [f"{n:,}", f"{way['pkt_s']:,.0f} ± {way['pkt_s_sd']:,.0f}" if n else "—"]
        L.append(f"| {w['config']} | {w['metric']} | {what} | {w['cpu']} | "
                 f"{w['windows']:,} | {w['saturated']:,} | {w['handoff_next']:,} | "
                 + " | ".join(ways) + " |")
    L.append("")
    return L


def retransmissions(records):
    """Per (configuration, TCP metric): the sender's retransmitted
    segments of each measured round, and the share of them the receiver
    reported back as duplicates (D-SACK: spurious, the original had only
    been overtaken), over the rounds that recorded both."""
    out = {}
    for r in records:
        if (r.get("type") != "sample" or r.get("round", 0) < 1 or
                r.get("metric") not in TCP_METRICS or "retransmits" not in r):
            continue
        e = out.setdefault((r["config"], r["metric"]), {"retr": [], "both": [0, 0]})
        e["retr"].append(r["retransmits"])
        if "dsack_segs" in r:
            # The receiver's reports can cover a little more than was
            # retransmitted (seen: 46 for 45); never count more spurious
            # segments than retransmitted ones.
            e["both"][0] += min(r["dsack_segs"], r["retransmits"])
            e["both"][1] += r["retransmits"]
    return out


# What the TCP 1-flow sender saw (m_tcp in the guest's bench.sh): record
# field, column heading.
TCP_SENDER_FIELDS = [
    ("mean_rtt_us", "mean smoothed RTT (us)"),
    ("max_cwnd", "largest cwnd (bytes)"),
    ("rto", "retransmission timeouts"),
    ("loss_probes", "tail loss probes"),
    ("backlog_drops", "input backlog drops (all CPUs)"),
    ("busier_cpu", "busier CPU busy (%)"),
    ("idler_cpu", "other CPU busy (%)"),
]


def tcp_sender_view(records):
    """Per configuration: each TCP_SENDER_FIELDS field's values over the
    measured rounds of tcp1."""
    out = {}
    for r in records:
        if (r.get("type") != "sample" or r.get("round", 0) < 1 or
                r.get("metric") != "tcp1"):
            continue
        e = out.setdefault(r["config"], {})
        for field, _ in TCP_SENDER_FIELDS:
            if field in r:
                e.setdefault(field, []).append(r[field])
        if r.get("cpu_busy"):
            e.setdefault("busier_cpu", []).append(100 * max(r["cpu_busy"]))
            e.setdefault("idler_cpu", []).append(100 * min(r["cpu_busy"]))
    return out


# The runs make bench profiles (BENCH_PROFILE_METRICS): metric, what a
# symbol's share compares per, the unit of the profiled run's rate.
PROFILED_METRICS = [("tcp1", "byte", "Mbit/s"), ("udp64", "packet", "pkt/s")]


def profile_heading(run, unit):
    """The rate and CPU busy shares of one profiled run, for its heading."""
    parts = []
    rate = (run or {}).get("mbit_s" if unit == "Mbit/s" else "pkt_s")
    if rate is not None:
        parts.append(f"{fmt(rate)} {unit} in the profiled run")
    if (run or {}).get("cpu_busy"):
        parts.append("CPUs busy per `/proc/stat` meanwhile: " +
                     " / ".join(f"{100 * b:.0f} %" for b in run["cpu_busy"]))
    return f" ({'; '.join(parts)})" if parts else ""


# The guest CPU features that decide which SIMD code its crypto drivers
# run (AES-NI, AVX, AVX2, ...): under TCG they change what the emulator
# costs, so a run without AVX2 (BENCH_CPU) is not comparable figure for
# figure with one that had it (benchmarks.rst).
SIMD_FLAGS = ("sse2", "ssse3", "sse4_1", "aes", "pclmulqdq", "avx", "avx2",
              "vaes", "vpclmulqdq", "avx512f", "avx512vl", "sha_ni")


def simd_text(flags):
    if not flags:
        return None
    have = set(flags.split())
    return " ".join(f for f in SIMD_FLAGS if f in have) + \
        "; missing: " + (" ".join(f for f in SIMD_FLAGS if f not in have) or "none")


def clocksource_text(env):
    """The guest's clocksource and the tsc= arguments it was booted with
    (benchmarks.rst, "What is compared")."""
    source = env.get("clocksource")
    if not source:
        return "not recorded"
    args = [a for a in env.get("cmdline", "").split() if a.startswith("tsc=")]
    return f"{source} ({' '.join(args) if args else 'kernel default'})"


def other_cpu_text(host):
    """Host CPU time of processes other than the bench's own. It is the
    host's tick-sampled busy time minus its children's precise CPU time,
    so "none" can come out slightly below zero."""
    other, secs = host["host_other_cpu_seconds"], host.get("host_seconds", "?")
    try:
        if float(other) <= 0:
            return (f"none measurable in {secs} s ({other} CPU-s: the host's "
                    "tick-sampled busy time against the bench's precise own)")
    except ValueError:
        pass
    return f"{other} CPU-s in {secs} s"


def cell(d, ratio=False):
    if not d or d.get("median") is None:
        return "—"
    f = (lambda x: fmt(x, exact_ints=False)) if ratio else fmt
    s = f(d["median"]) + ("×" if ratio else "")
    if d.get("n", 2) > 1 and d["min"] is not None:
        s += f" [{f(d['min'])}–{f(d['max'])}]"
    return s


def write_markdown(path, host, env, drivers, measured, absolute, ratios,
                   serial, goal_rows, scale, skipped, ethtool, records):
    configs = [c for c in CONFIG_ORDER if c in absolute] + \
        sorted(c for c in absolute if c not in CONFIG_ORDER and not c.startswith("crypto-"))
    L = []
    L.append("# s2s benchmark results\n")
    L.append("Produced by `make bench` (scripts/bench-report.py); every number below "
             "comes from the run recorded in results.json. Values are medians over the "
             "measured rounds with [min–max] across rounds; ratios are computed per "
             "round (same boot, same round) and then their median is taken. "
             "Software-emulated (QEMU TCG) guest: absolute figures are far below real "
             "hardware, only the ratios are meaningful. "
             "See Documentation/benchmarks.rst.\n")
    busy = busy_host(host)
    if busy:
        L.append(f"**Busy host:** {busy} Other processes competed with the guest's vCPUs; "
                 "expect wide spreads, and treat single-round ratios as indications only.\n")
    L.append("## Environment\n")
    L.append("| item | value |\n|---|---|")
    rows = [
        ("guest kernel", env.get("kernel")),
        ("QEMU", host.get("qemu")),
        ("accelerator", host.get("accel")),
        ("guest CPUs / memory", f"{env.get('cpus')} vCPU / {env.get('mem_kib', 0) // 1024} MiB"),
        ("guest CPU model (QEMU -cpu)", f"{env.get('cpu_model')} "
                                       f"({host.get('qemu_cpu') or 'not recorded'})"),
        ("guest SIMD the crypto may use", simd_text(env.get("cpu_flags"))),
        ("guest clocksource", clocksource_text(env)),
        ("host CPU", f"{host.get('host_cpu')} ({host.get('host_cpus')} CPUs)"),
        ("host load average at start / end (the end counts the guest)",
         f"{host.get('host_load_start')} / {host.get('host_load_end')}"),
        ("host CPU used by other processes during the run",
         other_cpu_text(host) if "host_other_cpu_seconds" in host else "not measured"),
        ("s2s commit", host.get("s2s_commit")),
        ("rounds", f"{len(measured)} measured after {env.get('warmup')} warm-up, "
                   f"order shuffled (seed {env.get('seed')})"),
        ("seconds per metric", env.get("seconds")),
        ("WAN MTU", f"{env.get('wan_mtu')} (no configuration fragments; tunnel MTUs in the "
                    "offload table: s2s sets its own)"),
        ("flows steered to one CPU per veth (RPS)",
         {0: "no: packets processed on the CPU that sent them", 1: "yes (BENCH_RPS=1)"}
         .get(env.get("rps"))),
        ("rekey load", f"UDP {env.get('rekey_rate')}bit/s, 1000-byte datagrams"),
        ("metrics", env.get("metrics", "").strip()),
        ("accelerated crypto modules loaded", next(
            (r.get("loaded") or "none" for r in records if r.get("type") == "crypto_modules"), None)),
    ]
    for k, v in rows:
        L.append(f"| {k} | {v if v is not None else '—'} |")
    L.append("")
    if drivers:
        L.append("Crypto drivers (highest-priority instance in the guest's /proc/crypto):\n")
        L.append("| algorithm | driver | priority |\n|---|---|---|")
        for d in drivers:
            L.append(f"| `{d['name']}` | `{d['driver']}` | {d['priority']} |")
        L.append("")

    L.append("## Goals (issue 5)\n")
    L.append("Status is read off the medians; it is a report, not a test.\n")
    L.append("| goal | target | measured median [min–max] | met |\n|---|---|---|---|")
    for g in goal_rows:
        met = {True: "yes", False: "no", None: "—"}[g["met"]]
        m = "—" if g["median"] is None else (
            fmt(g["median"]) + ("" if "packets" in g["goal"] else "×") +
            (f" [{fmt(g['min'])}–{fmt(g['max'])}]" if g["min"] is not None else ""))
        note = f" ({g['note']})" if g.get("note") else ""
        L.append(f"| {g['goal']} | {g['target']} | {m}{note} | {met} |")
    L.append("")

    def table(title, key, ratio, intro=None, measured_only=False):
        L.append(f"## {title}\n")
        if intro:
            L.append(intro + "\n")
        metrics = [m for m in METRICS if any(m in (key(c) or {}) for c in configs)]
        if not metrics:
            L.append("(no data)\n")
            return
        L.append("| configuration | " + " | ".join(
            f"{METRICS[m][0]} ({'ratio' if ratio else METRICS[m][1]})" for m in metrics) + " |")
        L.append("|---|" + "---|" * len(metrics))
        for c in configs:
            d = key(c) or {}
            if measured_only and not d:
                continue
            L.append(f"| {CONFIG_LABEL.get(c, c)} | " +
                     " | ".join(cell(d.get(m), ratio) for m in metrics) + " |")
        L.append("")

    table("Ratio to XFRM + xfrmi (AES-256-GCM), per round", lambda c: ratios["vs_xfrm"].get(c), True)
    table("Ratio to plain forwarding (the ceiling), per round", lambda c: ratios["vs_plain"].get(c), True)
    if ratios["vs_xfrm_same_alg"]:
        table("Ratio to XFRM + xfrmi with the same algorithm and encapsulation, per round",
              lambda c: ratios["vs_xfrm_same_alg"].get(c), True,
              "The s2s configurations that have an XFRM control with their "
              "algorithm and encapsulation, each against it (" + "; ".join(
                  f"{CONFIG_LABEL[c]} against {CONFIG_LABEL[x]}"
                  for c, x in SAME_ALG_XFRM.items()) + ").",
              measured_only=True)
    table("Absolute values", lambda c: absolute.get(c), False)
    L.append("For throughput and packet rates higher is better; for CPU per GB, latency "
             "and loss lower is better. CPU per GB counts every CPU of the guest "
             "(senders, both gateways, receivers) during the TCP 1-flow test.\n")

    L.append("## Crypto-only throughput and serial limit\n")
    kernel = any(KERNEL_METRIC in absolute.get("crypto-" + a, {}) for a in CRYPTO_ALGS)
    kernel_rt = any(KERNEL_RT_METRIC in absolute.get("crypto-" + a, {}) for a in CRYPTO_ALGS)
    if kernel:
        L.append("In the kernel: the algorithm as s2s's data path runs it (the transform "
                 "ESP allocates, IV generator included, in place; ChaCha20-Poly1305 on the "
                 "library routines), one packet-size request after another, as a busy "
                 "link's packets are, with no system call between them "
                 "(bench_aead_kernel.ko); this reference judges the goal.\n")
    if kernel_rt:
        L.append("Encrypted and decrypted: the same, each request decrypted in place "
                 "again right after, as every tunnelled packet is once on each gateway; "
                 "Mbit/s of payload that went through both. 8000 divided by it is what "
                 "the two passes cost in CPU-seconds per GB.\n")
    L.append("AF_ALG, one operation at a time, encrypting ESP-shaped requests "
             "(bench-aead). Each operation also pays its system calls, which under TCG "
             "cost about as much as a packet's crypto, so the 1420 B figure is no crypto "
             "rate. The marginal column is the rate of the bytes between the 1420 B and "
             "3968 B requests: both run the code the driver runs for a packet "
             "(Linux 6.1's AES-GCM takes its AVX2 code only from 4 KiB on). What every "
             "operation costs drops out of it, the crypto's own per-request work too, "
             "and AF_ALG's copy of the input stays in. The 16 KiB request spreads the "
             "system calls thinly but may run other code (Documentation/benchmarks.rst, "
             "\"The guest's AVX2\").\n")
    sizes = [n for n in CRYPTO_SIZES
             if any(f"crypto_{n}" in absolute.get("crypto-" + a, {}) for a in CRYPTO_ALGS)]
    # (heading, the cell of an AEAD) per column
    columns = ([(f"in the kernel, {PACKET_SIZES[0]} B",
                 lambda alg, d: d.get(KERNEL_METRIC))] if kernel else []) + \
        ([(f"in the kernel, encrypted and decrypted, {PACKET_SIZES[0]} B",
           lambda alg, d: d.get(KERNEL_RT_METRIC))] if kernel_rt else []) + \
        [(f"AF_ALG, {n} B", lambda alg, d, n=n: d.get(f"crypto_{n}")) for n in sizes] + \
        [(f"AF_ALG, marginal, {PACKET_SIZES[0]}–{PACKET_SIZES[1]} B",
          lambda alg, d: serial["crypto_mbit"].get("marginal", {}).get(alg))]
    L.append("| AEAD | " + " | ".join(f"{h} (Mbit/s)" for h, _ in columns) +
             " |\n|---" + "|---" * len(columns) + "|")
    for alg in CRYPTO_ALGS:
        d = absolute.get("crypto-" + alg, {})
        L.append(f"| {alg} | " + " | ".join(cell(f(alg, d)) for _, f in columns) + " |")
    L.append("")
    L.append("The serial limit is 1/(1/plain + 1/crypto) per round, with plain = "
             "plain-forwarding TCP 1 flow and crypto from each reference in turn.\n")
    by_ref = serial["by_reference"]
    refs = [r for r in SERIAL_REFS if r in by_ref]
    if refs:
        L.append("| configuration | " + " | ".join(
            f"serial limit, crypto: {SERIAL_REF_LABEL[r]} (Mbit/s) | TCP 1 flow / that limit"
            for r in refs) + " |\n|---" + "|---" * (2 * len(refs)) + "|")
        for c in configs:
            row = [by_ref[r].get(c) for r in refs]
            if any(row):
                L.append(f"| {CONFIG_LABEL.get(c, c)} | " + " | ".join(
                    f"{cell(s and s['limit_mbit'])} | {cell(s and s['fraction'], True)}"
                    for s in row) + " |")
    else:
        L.append("No serial limit: it needs plain forwarding's TCP 1 flow and a "
                 "crypto-only figure of the same round.")
    L.append("")

    L.append("## Loss per rekey\n")
    L.append("A UDP stream at the rekey load runs for the metric time + 2 s; in the middle "
             "both directions are rekeyed (new inbound SAs, outbound swap, old SAs deleted "
             "1 s later). The control run is the same stream without a rekey. Packets, per round:\n")
    L.append("Each entry: lost / sent, and in parentheses the datagrams LAN B's socket "
             "dropped for a full receive buffer (a CPU-starved receiver, behind the tunnel); "
             "loss on the path is the difference.\n")
    L.append("| configuration | control (no rekey) | across one rekey |\n|---|---|---|")
    by = {}
    for r in records:
        if r.get("type") == "sample" and r.get("round", 0) >= 1 and \
                r["metric"] in ("rekey_lost", "norekey_lost") and "sent" in r:
            by.setdefault((r["config"], r["metric"]), []).append(
                f"{fmt(r['value'])}/{fmt(r.get('sent'))} ({fmt(r.get('receiver_rcvbuf_errors'))})")
    for c in configs:
        if (c, "rekey_lost") in by or (c, "norekey_lost") in by:
            L.append(f"| {CONFIG_LABEL.get(c, c)} | {', '.join(by.get((c, 'norekey_lost'), ['—']))} "
                     f"| {', '.join(by.get((c, 'rekey_lost'), ['—']))} |")
    L.append("")

    L.append("## Scale (issue item 4)\n")
    if scale:
        n_l = scale["links"]["count"]
        n_s = scale["sas"]["count"]
        k = scale["kib"]
        slab_sa = (k["sas"]["slab"] - k["links"]["slab"]) * 1024 / n_s
        pcpu_sa = (k["sas"]["percpu"] - k["links"]["percpu"]) * 1024 / n_s
        free_sa = (k["links"]["free"] - k["sas"]["free"]) * 1024 / n_s
        slab_l = (k["links"]["slab"] - k["before"]["slab"]) * 1024 / n_l
        total = scale["links"]["seconds"] + scale["sas"]["seconds"]
        L.append("One netlink socket each, requests batched, every ack checked "
                 "(bench-scale); times measured in the guest under TCG.\n")
        L.append("| measurement | value | goal |\n|---|---|---|")
        L.append(f"| {n_l} links (rtnetlink) | {scale['links']['seconds']:.3f} s | |")
        L.append(f"| {n_s} SAs, AES-256-GCM (genl) | {scale['sas']['seconds']:.3f} s | |")
        L.append(f"| links + SAs | {total:.3f} s | < 2 s (on hardware; TCG is slower) |")
        L.append(f"| slab per SA (meminfo Slab delta) | {slab_sa:,.0f} B | ≤ 4096 B incl. crypto context |")
        L.append(f"| per-CPU memory per SA (meminfo Percpu delta) | {pcpu_sa:,.0f} B | |")
        L.append(f"| slab + per-CPU per SA | {slab_sa + pcpu_sa:,.0f} B | ≤ 4096 B |")
        L.append(f"| MemFree drop per SA (includes page allocations; noisy) | {free_sa:,.0f} B | |")
        L.append(f"| slab per link | {slab_l:,.0f} B | |")
        L.append("")
        growth = scale.get("sa_slab_growth_bytes") or {}
        if growth:
            L.append("Slab caches that grew most while the SAs were added (bytes per SA):\n")
            L.append("| cache | bytes per SA |\n|---|---|")
            for name, b in sorted(growth.items(), key=lambda kv: -kv[1]):
                L.append(f"| {name} | {b / n_s:,.0f} |")
            L.append("")
    else:
        L.append("Not measured in this run.\n")

    feats = ["generic-segmentation-offload", "generic-receive-offload",
             "tcp-segmentation-offload", "tx-checksumming", "scatter-gather"]
    rank = {c: i for i, c in enumerate(CONFIG_ORDER)}
    tun = sorted((e for e in ethtool if e.get("ns") == "gwa" and
                  e.get("dev") in ("wan0", "lan0", "ipsec0", "wg0", "s2s0")),
                 key=lambda e: (rank.get(e["config"], 99), e["dev"]))
    if tun:
        L.append("## Offloads on gateway A (from `ethtool -k`; all devices in results.json)\n")
        L.append("| configuration | device | MTU | " + " | ".join(feats) + " |")
        L.append("|---|---|---|" + "---|" * len(feats))
        for e in tun:
            if e["dev"] in ("wan0", "lan0") and e["config"] != "plain":
                continue
            L.append(f"| {e['config']} | {e['dev']} | {e.get('mtu', '—')} | " +
                     " | ".join(e["features"].get(f, "off [fixed]") for f in feats) + " |")
        L.append("")

    drops = drop_totals(records)
    if drops:
        L.append("## Data-path drop counters\n")
        L.append("Non-zero counters whose name mentions a drop or an error, summed over the "
                 "measured rounds (s2s: `s2sctl show --json`; XFRM: /proc/net/xfrm_stat), "
                 "read after all metrics of a configuration:\n")
        L.append("| configuration | gateway | counter | total |\n|---|---|---|---|")
        for (cfg, ns, name), v in sorted(drops.items()):
            L.append(f"| {cfg} | {ns} | `{name}` | {v:,} |")
        L.append("")
    elif any(r.get("type") == "counters" for r in records):
        L.append("## Data-path drop counters\n")
        L.append("Every drop and error counter of s2s (`s2sctl show --json`) and XFRM "
                 "(/proc/net/xfrm_stat) read zero after every measured configuration.\n")

    shares = handoff_shares(records)
    queued = handoff_shares(records, "inline_async")
    if shares:
        L.append("## Crypto handed to other CPUs\n")
        L.append("Share of the packets s2s encrypted or decrypted (both gateways, all "
                 "metrics of a round; `s2sctl show --json`) whose crypto a worker on "
                 "another CPU did (debugfs `s2s/workers`), and of those whose crypto, "
                 "called inline, the driver completed asynchronously (AES-NI through "
                 "cryptd when a softirq found the FPU in use: same CPU, time the "
                 "hand-off cannot see), median [min–max] over the measured rounds:\n")
        L.append("| configuration | handed off | inline, completed asynchronously |\n"
                 "|---|---|---|")
        rank = {c: i for i, c in enumerate(CONFIG_ORDER)}

        def pct(vals):
            if not vals:
                return "—"
            v = [100 * x for x in vals]
            lo, hi = spread(v)
            return f"{median(v):.1f} % [{lo:.1f}–{hi:.1f}]"
        for cfg in sorted(shares, key=lambda c: rank.get(c, 99)):
            L.append(f"| {cfg} | {pct(shares[cfg])} | {pct(queued.get(cfg))} |")
        L.append("")
        per = handoffs_per_metric(records)
        # In bench.sh's order; a metric this list does not know yet last,
        # rather than left out.
        seen = {m for v in per.values() for m in v}
        metrics = sorted(seen, key=lambda m: (RUN_ORDER.index(m) if m in RUN_ORDER
                                              else len(RUN_ORDER), m))
        if metrics:
            L.append("Packets handed off while each metric ran, median [min–max] over "
                     "the measured rounds (a link hands off when its crypto took a "
                     "quarter of its CPU, or when that CPU was saturated and handing "
                     "off carried more packets there, which it keeps measuring):\n")
            L.append("| configuration | " + " | ".join(metrics) + " |\n" +
                     "|---" * (len(metrics) + 1) + "|")

            def count(vals):
                if not vals:
                    return "—"
                lo, hi = spread(vals)
                return f"{median(vals):,.0f} [{lo:,.0f}–{hi:,.0f}]"
            for cfg in sorted(per, key=lambda c: rank.get(c, 99)):
                L.append(f"| {cfg} | " +
                         " | ".join(count(per[cfg].get(m)) for m in metrics) + " |")
            L.append("")

    L += par_windows_section(records)

    retr = retransmissions(records)
    if retr:
        L.append("## TCP retransmissions\n")
        L.append("Segments the sender retransmitted per run (iperf3), median [min–max] "
                 "over the measured rounds, and the share the receiver reported back "
                 "as duplicates (D-SACK, `TCPDSACKRecvSegs` of the sender's namespace): "
                 "those were spurious, the original had been overtaken, not lost. "
                 "Without RPS (Environment) the test bed's veths reorder every "
                 "configuration's packets themselves (Documentation/benchmarks.rst, "
                 "Caveats):\n")
        tcp = [m for m in TCP_METRICS if any(k[1] == m for k in retr)]
        L.append("| configuration | " + " | ".join(METRICS[m][0] for m in tcp) + " |\n|---|" +
                 "---|" * len(tcp))
        for cfg in configs:
            cells = []
            for m in tcp:
                e = retr.get((cfg, m))
                if not e:
                    cells.append("—")
                    continue
                lo, hi = spread(e["retr"])
                c = f"{fmt(median(e['retr']))} [{fmt(lo)}–{fmt(hi)}]"
                dup, total = e["both"]
                if total:
                    c += f", {100 * dup / total:.0f} % spurious"
                cells.append(c)
            L.append(f"| {cfg} | " + " | ".join(cells) + " |")
        L.append("")

    view = tcp_sender_view(records)
    if any(view.values()):
        L.append("## What the TCP sender saw (1 flow)\n")
        L.append("Median [min–max] over the measured rounds. RTT and congestion window "
                 "are iperf3's from the sender's `tcp_info`; timeouts and loss probes "
                 "are `TcpExt` counters of the sender's namespace (each timeout leaves "
                 "the sender waiting, at least 200 ms, with nothing acknowledged); "
                 "backlog drops are column 2 of `/proc/net/softnet_stat`, where a veth "
                 "delivering a burst into a full input queue of its CPU loses packets "
                 "(`net.core.netdev_max_backlog`, the test bed's default); the CPUs' "
                 "busy shares are from `/proc/stat` over the run (every tick not idle "
                 "or waiting for I/O), the busier of the two first:\n")
        fields = [f for f in TCP_SENDER_FIELDS if any(f[0] in e for e in view.values())]
        L.append("| configuration | " + " | ".join(h for _, h in fields) + " |\n|---|" +
                 "---|" * len(fields))
        for cfg in configs:
            e = view.get(cfg)
            if not e:
                continue
            cells = []
            for field, _ in fields:
                v = e.get(field)
                if not v:
                    cells.append("—")
                    continue
                lo, hi = spread(v)
                cells.append(f"{fmt(median(v))} [{fmt(lo)}–{fmt(hi)}]")
            L.append(f"| {cfg} | " + " | ".join(cells) + " |")
        L.append("")

    profiles = [r for r in records if r.get("type") == "profile"]
    rank = {c: i for i, c in enumerate(CONFIG_ORDER)}
    # Records from before profiles named their metric were all of tcp1.
    for metric, what, unit in PROFILED_METRICS:
        mine = [p for p in profiles if p.get("metric", "tcp1") == metric]
        if not mine:
            continue
        L.append(f"## Profiles (perf in the guest during one `{metric}` run)\n")
        L.append("Share of all sampled CPU time of the guest (both vCPUs: senders, "
                 "gateways and receivers alike), `perf record -a -e cpu-clock`, "
                 "taken after the rounds; symbols from 0.8 %. Each heading gives the "
                 "rate of the profiled run itself: a symbol's shares in two "
                 f"configurations compare per {what} only once divided by it.\n")
        runs = {r["config"]: r for r in records if r.get("type") == "profile_run"
                and r.get("metric", "tcp1") == metric}
        for cfg in sorted({p["config"] for p in mine}, key=lambda c: rank.get(c, 99)):
            L.append(f"**{cfg}**{profile_heading(runs.get(cfg), unit)}\n")
            L.append("| share | symbol | object |\n|---|---|---|")
            for p in (p for p in mine if p["config"] == cfg):
                L.append(f"| {p['share']:.1f} % | `{p['symbol']}` | {p['dso']} |")
            L.append("")

    if skipped:
        L.append("## Metrics without a result\n")
        L.append("| round | configuration | metric | why |\n|---|---|---|---|")
        for s in skipped:
            L.append(f"| {s['round']} | {s['config']} | {s['metric']} | {s['why']} |")
        L.append("")
    if not any(r.get("type") == "done" for r in records):
        L.append("**The guest did not finish the run: results are partial.**\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(L))


def esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def write_svg(path, ratios, configs):
    """Median ratio to XFRM per metric and configuration, whiskers min–max."""
    metrics = [m for m in ("tcp1", "tcp2", "udp64", "udp1400", "gw_tcp1", "rr_tps",
                           "ping_ms", "rr_us", "cpu_per_gb")
               if any(m in ratios["vs_xfrm"].get(c, {}) for c in configs)]
    configs = [c for c in configs if c in ratios["vs_xfrm"]]
    # One per configuration of CONFIG_ORDER, so that none shares a colour.
    colours = ["#7f7f7f", "#1f77b4", "#17becf", "#9467bd", "#d62728", "#ff7f0e",
               "#2ca02c", "#8c564b", "#e377c2"]
    bar_h, gap, left, width = 11, 10, 190, 460
    vmax = 0
    for c in configs:
        for m in metrics:
            d = ratios["vs_xfrm"][c].get(m)
            if d:
                vmax = max(vmax, d["max"])
    vmax = max(1.6, math.ceil(vmax * 5) / 5)
    panel_h = len(configs) * bar_h + gap
    height = 70 + len(metrics) * panel_h + 20 + 16 * len(configs)
    W = left + width + 40
    x = lambda v: left + v / vmax * width  # noqa: E731
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" '
         f'font-family="sans-serif" font-size="11">',
         f'<rect width="{W}" height="{height}" fill="white"/>',
         '<text x="10" y="18" font-size="14" font-weight="bold">Ratio to XFRM + xfrmi '
         '(AES-256-GCM), median of per-round ratios, whiskers min–max</text>',
         '<text x="10" y="34">Throughput and rates: higher is better. ping, RR latency, '
         'CPU per GB: lower is better. QEMU TCG guest.</text>']
    y0 = 50
    for t in range(0, int(vmax * 5) + 1):
        v = t / 5
        if t % 2 and vmax > 2:
            continue
        o.append(f'<line x1="{x(v):.1f}" y1="{y0}" x2="{x(v):.1f}" '
                 f'y2="{y0 + len(metrics) * panel_h}" stroke="#ddd"/>')
        o.append(f'<text x="{x(v):.1f}" y="{y0 - 3}" text-anchor="middle" fill="#555">{v:g}</text>')
    o.append(f'<line x1="{x(1):.1f}" y1="{y0}" x2="{x(1):.1f}" '
             f'y2="{y0 + len(metrics) * panel_h}" stroke="black" stroke-dasharray="4,3"/>')
    y = y0 + 4
    for m in metrics:
        o.append(f'<text x="10" y="{y + len(configs) * bar_h / 2 + 4:.1f}" '
                 f'font-weight="bold">{esc(METRICS[m][0])}</text>')
        for i, c in enumerate(configs):
            d = ratios["vs_xfrm"][c].get(m)
            col = colours[i % len(colours)]
            if d:
                o.append(f'<rect x="{left}" y="{y}" width="{x(d["median"]) - left:.1f}" '
                         f'height="{bar_h - 2}" fill="{col}"><title>{esc(c)} {esc(m)}: '
                         f'{d["median"]:.3f}</title></rect>')
                yy = y + (bar_h - 2) / 2
                o.append(f'<line x1="{x(d["min"]):.1f}" y1="{yy:.1f}" x2="{x(d["max"]):.1f}" '
                         f'y2="{yy:.1f}" stroke="black"/>')
            y += bar_h
        y += gap
    y += 10
    for i, c in enumerate(configs):
        o.append(f'<rect x="{left}" y="{y - 9}" width="10" height="10" '
                 f'fill="{colours[i % len(colours)]}"/>')
        o.append(f'<text x="{left + 15}" y="{y}">{esc(CONFIG_LABEL.get(c, c))}</text>')
        y += 16
    o.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(o) + "\n")


def dump_json(result):
    """results.json: one top-level key per line, lists of records one record
    per line (readable diffs, a tenth of the lines of an indented dump)."""
    def one(v):
        return json.dumps(v, sort_keys=True, ensure_ascii=False)
    parts = []
    for k in sorted(result):
        v = result[k]
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            body = "[\n" + ",\n".join("  " + one(x) for x in v) + "\n ]"
        else:
            body = one(v)
        parts.append(f" {one(k)}: {body}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def records_from_json(path):
    """The records and host information an earlier results.json was made of."""
    with open(path, encoding="utf-8") as f:
        res = json.load(f)
    recs = [res["env"]] if res.get("env") else []
    for key in ("crypto_drivers", "rounds", "samples", "skipped", "ethtool", "counters",
                "handoffs", "profiles", "profile_runs", "par_trace_runs",
                "par_windows"):
        recs += res.get(key) or []
    if res.get("crypto_modules") is not None:
        recs.append({"type": "crypto_modules", "loaded": res["crypto_modules"]})
    if res.get("scale"):
        recs.append(res["scale"])
    if res.get("complete"):
        recs.append({"type": "done"})
    return recs, dict(res.get("host") or {})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--log", help="guest output.log of the run")
    src.add_argument("--json", help="results.json of an earlier report, to rebuild it")
    ap.add_argument("--out", required=True, help="directory for the report")
    ap.add_argument("--host-info", action="append", default=[], metavar="KEY=VALUE")
    args = ap.parse_args()

    host = {}
    if args.log:
        records = parse_log(args.log)
    else:
        records, host = records_from_json(args.json)
    host.update(kv.split("=", 1) for kv in args.host_info if "=" in kv)
    env = next((r for r in records if r.get("type") == "env"), {})
    drivers = [r for r in records if r.get("type") == "crypto_driver"]
    ethtool = [r for r in records if r.get("type") == "ethtool"]
    skipped = [r for r in records if r.get("type") == "skipped"]
    scale = next((r for r in records if r.get("type") == "scale"), None)
    measured, value, absolute, ratios, serial = summarise(records)
    goal_rows = goals(value, measured, ratios, serial, absolute)
    configs = [c for c in CONFIG_ORDER if c in absolute]

    os.makedirs(args.out, exist_ok=True)
    result = {
        "host": host, "env": env, "crypto_drivers": drivers,
        "rounds": [r for r in records if r.get("type") == "round"],
        "summary": {"measured_rounds": measured, "absolute": absolute,
                    "ratio_vs_xfrm": ratios["vs_xfrm"],
                    "ratio_vs_plain": ratios["vs_plain"],
                    "ratio_vs_xfrm_same_alg": ratios["vs_xfrm_same_alg"],
                    "serial_limit": serial, "goals": goal_rows,
                    "scale": scale_summary(scale), "busy_host": busy_host(host)},
        "scale": scale, "skipped": skipped, "ethtool": ethtool,
        "samples": [r for r in records if r.get("type") == "sample"],
        "counters": [r for r in records if r.get("type") == "counters"],
        "handoffs": [r for r in records if r.get("type") == "handoff"],
        "profiles": [r for r in records if r.get("type") == "profile"],
        "profile_runs": [r for r in records if r.get("type") == "profile_run"],
        "crypto_modules": next((r.get("loaded") for r in records
                                if r.get("type") == "crypto_modules"), None),
        "complete": any(r.get("type") == "done" for r in records),
    }
    # Only in runs that traced the hand-off (BENCH_TRACE): earlier records
    # rebuild unchanged.
    for key, kind in (("par_trace_runs", "par_trace_run"), ("par_windows", "par_windows")):
        mine = [r for r in records if r.get("type") == kind]
        if mine:
            result[key] = mine
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as f:
        f.write(dump_json(result))
    write_markdown(os.path.join(args.out, "results.md"), host, env, drivers,
                   measured, absolute, ratios, serial, goal_rows, scale, skipped,
                   ethtool, records)
    write_svg(os.path.join(args.out, "chart.svg"), ratios, configs)
    if not result["samples"] or not result["complete"]:
        print("bench-report: the log holds no complete run", file=sys.stderr)
        return 1
    print(f"bench-report: {len(result['samples'])} samples, "
          f"{len(measured)} measured round(s) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
