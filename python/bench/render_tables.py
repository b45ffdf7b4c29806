# Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
"""Prints the Markdown tables of docs/benchmarks.md from the result files of `fedbiot bench ...`, or fills them in.

Standard library only:
    python3 python/bench/render_tables.py docs/results                       # print all tables
    python3 python/bench/render_tables.py docs/results --fill docs/benchmarks.md
The second form replaces the text between `<!-- BEGIN name -->` and `<!-- END name -->` (name = matmul, pytorch,
client-cost, scale, replication, jmh, flower-overhead) with the table rendered from docs/results/<name>.json.
"""
import contextlib
import io
import json
import os
import re
import sys


def load(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)


def mib(b):
    return b / 2 ** 20


def env_line(r):
    e = r["environment"]
    return (f"_{r['benchmark']}: {e['started']} to {e.get('finished', '?')}, {e['cpu']}, {e['cores']} cores, "
            f"load average {e['load_average_start']:.2f} at start / {e.get('load_average_end', float('nan')):.2f} "
            f"at end, commit {e.get('git_commit', '?')}_")


def matmul(r):
    print(env_line(r))
    print()
    print("| n | GFLOP/s median | p25 | p75 | min | max |")
    print("|---|---|---|---|---|---|")
    for s in r["sizes"]:
        g = s["gflops"]
        print(f"| {s['n']} | {g['median']:.1f} | {g['p25']:.1f} | {g['p75']:.1f} | {g['min']:.1f} | {g['max']:.1f} |")
    print()
    print(f"Peak (best per-size median): **{r['peak_gflops']:.1f} GFLOP/s** at n = {r['peak_n']}.")
    print()


def pytorch(r):
    print(env_line(r))
    print()
    print(f"Matmul peak used: {r['matmul_peak_gflops']:.1f} GFLOP/s ({r['matmul_peak_source']}). "
          f"B = {r['batch']}, T = {r['seq']}, {r['threads']} threads.")
    print()
    print("| model | params | train tok/s djl | train tok/s PyTorch | ratio (pairs min-max) | djl % of peak | "
          "PyTorch % of peak | fwd tok/s djl / PyTorch (ratio) | gen tok/s djl / PyTorch (ratio) | peak RSS djl / PyTorch MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for s in r["sizes"]:
        t, f, g = s["train"], s["forward"], s["generate"]
        pr = t["ratio_per_process_pair"]
        print(f"| {s['name']} | {s['parameters'] / 1e6:.1f}M | {t['djl_tokens_per_s']:.0f} | "
              f"{t['pytorch_tokens_per_s']:.0f} | **{t['ratio_djl_over_pytorch']:.2f}** ({pr['min']:.2f}-{pr['max']:.2f}) | "
              f"{100 * t['djl_fraction_of_peak']:.0f} % | {100 * t['pytorch_fraction_of_peak']:.0f} % | "
              f"{f['djl_tokens_per_s']:.0f} / {f['pytorch_tokens_per_s']:.0f} ({f['ratio_djl_over_pytorch']:.2f}) | "
              f"{g['djl_tokens_per_s']:.1f} / {g['pytorch_tokens_per_s']:.1f} ({g['ratio_djl_over_pytorch']:.2f}) | "
              f"{mib(s['djl_peak_rss_bytes']):.0f} / {mib(s['pytorch_peak_rss_bytes']):.0f} |")
    print()
    for s in r["sizes"]:
        if "djl_train_profile" in s and s["djl_train_profile"]:
            print(f"Profile of {s['name']} (self time per operator over "
                  f"{s['djl_train_profile'].get('steps', '?')} training steps, seconds):")
            print()
            print("| fedbiot-djl op | s | calls | PyTorch eager op | s | calls |")
            print("|---|---|---|---|---|---|")
            a = s["djl_train_profile"]["top"]
            b = s["pytorch_train_profile"]["top"]
            for i in range(min(12, max(len(a), len(b)))):
                x = a[i] if i < len(a) else {"name": "", "self_seconds": 0, "calls": 0}
                y = b[i] if i < len(b) else {"name": "", "self_seconds": 0, "calls": 0}
                print(f"| {x['name']} | {x['self_seconds']:.3f} | {x['calls']} | {y['name']} | "
                      f"{y['self_seconds']:.3f} | {y['calls']} |")
            dp, pp = s["djl_train_profile"], s["pytorch_train_profile"]
            print(f"| **all ops** | {dp['ops_self_seconds']:.3f} | wall {dp.get('wall_seconds', 0):.3f} | "
                  f"**all ops** | {pp['ops_self_seconds']:.3f} | wall {pp.get('wall_seconds', 0):.3f} |")
            print()


def client_cost(r):
    print(env_line(r))
    print()
    print(f"Model {r['model']} ({r['model_parameters'] / 1e6:.1f}M parameters), B = {r['batch']}, T = {r['seq']}, "
          f"LoRA {r['lora']}.")
    print()
    print("| client of | depth | peak RSS MiB | vs FedAvg-LoRA | trainable params | down/round | up/round | "
          "down once (model) | step s (median, min-max) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for c in r["clients"]:
        st = c["step_seconds"]
        print(f"| {c['label']} | {c['depth']} | {mib(c['peak_rss_bytes']):.0f} | "
              f"{c.get('peak_rss_vs_fedavg', float('nan')):.2f} | {c['trainable_parameters']:,} | "
              f"{c['bytes_down_per_round'] / 1024:.0f} KiB | {c['bytes_up_per_round'] / 1024:.0f} KiB | "
              f"{c['bytes_down_once'] / 2 ** 20:.0f} MiB | {st['median']:.2f} ({st['min']:.2f}-{st['max']:.2f}) |")
    print()
    if not r.get("server"):
        return
    print("| server | peak RSS MiB | emulator LoRA params | s per alignment step (median) | s per round at E |")
    print("|---|---|---|---|---|")
    for s in r["server"]:
        print(f"| {s['label']} | {mib(s['peak_rss_bytes']):.0f} | {s['trainable_parameters']:,} | "
              f"{s['step_seconds']['median']:.2f} | {s['align_seconds_per_round_at_E']:.2f} |")
    print()


def scale(r):
    print(env_line(r))
    print()
    print(r["setup"])
    print()
    print("| clients | peak RSS MiB | RSS after model load MiB | round 1 s (training + FedAvg) | s per client | "
          "last round s (+ alignment + evaluation) |")
    print("|---|---|---|---|---|---|")
    for x in r["runs"]:
        print(f"| {x['clients']} | {mib(x['peak_rss_bytes']):.0f} | {mib(x['rss_after_load_bytes']):.0f} | "
              f"{x['round1_seconds']:.1f} | {x['round1_seconds'] / x['clients']:.2f} | {x['last_round_seconds']:.1f} |")
    g = r["growth"]
    print()
    print(f"Least-squares growth: peak RSS {g['peak_rss_mib_intercept']:.0f} MiB + "
          f"{g['peak_rss_mib_per_client']:.2f} MiB per client; round-1 time {g['round_seconds_intercept']:.2f} s + "
          f"{g['round_seconds_per_client']:.3f} s per client.")
    print()


def _mean_sd(xs):
    if not xs:
        return float("nan"), float("nan")
    m = sum(xs) / len(xs)
    sd = (sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) ** 0.5 if len(xs) > 1 else 0.0
    return m, sd


def replication(r):
    print(env_line(r))
    print()
    # loss deltas against the un-tuned model on the same test examples (Offsite-Tuning's single client scores a
    # different subset of the test split than the four-client methods, so absolute losses are not comparable)
    print("| method | seeds | AdapEmu loss - un-tuned | AdapFu loss - un-tuned | un-tuned loss |")
    print("|---|---|---|---|---|")
    methods = []
    for x in r["runs"]:
        if x["group"] == "main" and x["method"] not in methods:
            methods.append(x["method"])
    for m in methods:
        runs = [x for x in r["runs"] if x["group"] == "main" and x["method"] == m]
        de = [x["test"]["adap_emu"]["loss"] - x["test"]["untuned"]["loss"] for x in runs]
        df = [x["test"]["adap_fu"]["loss"] - x["test"]["untuned"]["loss"] for x in runs]
        un = [x["test"]["untuned"]["loss"] for x in runs]
        a, b, c = _mean_sd(de), _mean_sd(df), _mean_sd(un)
        print(f"| {m} | {len(runs)} | {a[0]:+.4f} ± {a[1]:.4f} | {b[0]:+.4f} ± {b[1]:.4f} | {c[0]:.4f} ± {c[1]:.4f} |")
    print()
    print("| method | un-tuned EM | AdapEmu EM mean ± sd | AdapFu EM mean ± sd | AdapEmu loss | AdapFu loss | seeds |")
    print("|---|---|---|---|---|---|---|")
    for m, t in r["summary"].items():
        def em(k):
            return f"{100 * t[k]['exact_match_mean']:.1f} ± {100 * t[k]['exact_match_std']:.1f} %" if k in t else "-"

        def lo(k):
            return f"{t[k]['loss_mean']:.3f} ± {t[k]['loss_std']:.3f}" if k in t and "loss_mean" in t[k] else "-"
        n = t.get("adap_emu", t.get("adap_fu", {})).get("exact_match", {}).get("n", 0)
        print(f"| {m} | {em('untuned')} | {em('adap_emu')} | {em('adap_fu')} | {lo('adap_emu')} | {lo('adap_fu')} | {n} |")
    print()
    # paired by seed (same partition, data order and LoRA init seed): FedBiOT minus each baseline
    main = {(x["method"], x["seed"]): x["test"] for x in r["runs"] if x["group"] == "main"}
    seeds = sorted({s for (_, s) in main})
    others = [m for m in methods if m != "fedbiot"]
    if "fedbiot" in methods and others:
        print("| FedBiOT minus | seeds | AdapFu EM points (per seed) | mean ± sd | AdapEmu EM points mean ± sd |")
        print("|---|---|---|---|---|")
        for m in others:
            fu, emu = [], []
            for sd in seeds:
                a, b = main.get(("fedbiot", sd)), main.get((m, sd))
                if not a or not b or "exact_match" not in a.get("adap_fu", {}) or "exact_match" not in b.get("adap_fu", {}):
                    continue
                fu.append(100 * (a["adap_fu"]["exact_match"] - b["adap_fu"]["exact_match"]))
                emu.append(100 * (a["adap_emu"]["exact_match"] - b["adap_emu"]["exact_match"]))
            if fu:
                f, e = _mean_sd(fu), _mean_sd(emu)
                per = " / ".join(f"{v:+.0f}" for v in fu)
                print(f"| {m} | {len(fu)} | {per} | {f[0]:+.1f} ± {f[1]:.1f} | {e[0]:+.1f} ± {e[1]:.1f} |")
        print()
    print("| run | group | AdapEmu EM | AdapFu EM | AdapEmu loss | AdapFu loss | un-tuned loss | wall s |")
    print("|---|---|---|---|---|---|---|---|")
    for x in r["runs"]:
        t = x["test"]

        def g(k, f):
            v = t.get(k, {}).get(f)
            return "-" if v is None else (f"{100 * v:.1f} %" if f == "exact_match" else f"{v:.3f}")
        print(f"| {x['name']} | {x['group']} | {g('adap_emu', 'exact_match')} | {g('adap_fu', 'exact_match')} | "
              f"{g('adap_emu', 'loss')} | {g('adap_fu', 'loss')} | {g('untuned', 'loss')} | {x['wall_seconds']:.0f} |")
    print()


def jmh(r):
    print("| benchmark | clients | K | mean µs/op | error |")
    print("|---|---|---|---|---|")
    for b in r:
        p = b.get("params", {})
        m = b["primaryMetric"]
        print(f"| {b['benchmark'].split('.')[-1]} | {p.get('clients', '')} | {p.get('adapterLayers', '')} | "
              f"{float(m['score']):.1f} | ± {float(m['scoreError']):.1f} |")
    print()


def flower_overhead(r):
    print(env_line(r))
    print()
    print(f"flwr {r['flwr_version']}, {r['rounds']} measured rounds after {r['warmup_rounds']} warm-up round(s), "
          f"one node at a time; medians with quartiles (p25–p75), milliseconds")
    print()
    print("| payload | node | overhead ms | p25–p75 | outside Fleet RPCs ms | server round trip ms | "
          "Java / Python (overhead) | Java / Python (outside RPCs) |")
    print("|---|---|---|---|---|---|---|---|")
    for x in r["results"]:
        for kind, label in (("java", "Java SuperNode"), ("python", "Python flower-supernode")):
            k = x[kind]
            o = k["overhead_seconds"]
            first = kind == "java"
            print(f"| {x['size_mib']:g} MiB | {label} | {o['median'] * 1e3:.0f} | {o['p25'] * 1e3:.0f}–"
                  f"{o['p75'] * 1e3:.0f} | {k['outside_rpc_seconds']['median'] * 1e3:.0f} | "
                  f"{k['server_round_trip_seconds']['median'] * 1e3:.0f} | "
                  + (f"**{x['ratio_java_over_python']:.2f}** | {x['ratio_outside_rpc_java_over_python']:.2f} |"
                     if first else " | |"))
    h = r["java_node_heap"]
    t = r["targets"]
    print()
    print(f"Java node heap (-Xmx {h['xmx_mib']} MiB, idle {mib(h['idle_heap_bytes']):.0f} MiB after GC): peak "
          f"{mib(h['peak_heap_bytes']):.0f} MiB (sum of the heap pools' peaks) = "
          f"**{h['copies_peak_above_idle']:.2f}** copies of the {mib(h['largest_payload_bytes']):g} MiB payload above "
          f"idle; passed every round under the cap: {h['passed_under_cap']} (cap = "
          f"{h['copies_cap_above_idle']:.2f} copies above idle). Targets: ratio ≤ {t['ratio_max']}: "
          f"{'met' if t['ratio_met'] else 'not met'}; peak ≤ {t['heap_copies_max']:g} copies: "
          f"{'met' if t['heap_copies_met'] else 'not met'}. All echoes matched: {r['all_echoes_matched']}.")
    print()


def flower_wire(r):
    print(env_line(r))
    print()
    print(f"FedBiOT K = {r['adapter_layers']}, beta = {r['drop_rate']}, LoRA {r['lora']}, {r['nodes']} Java "
          f"SuperNodes, {r['rounds']} rounds; bytes per node and round")
    print()
    print("| node | round | LoRA down (simulation counter) | wire down (objects) | wire / LoRA | LoRA up | wire up | "
          "wire / LoRA |")
    print("|---|---|---|---|---|---|---|---|")
    for x in r["rounds_per_node"]:
        print(f"| {x['node']} | {x['round']} | {x['payload_bytes_down']:,} | {x['wire_object_bytes_down']:,} | "
              f"{x['wire_over_payload_down']:.3f} | {x['payload_bytes_up']:,} | {x['wire_object_bytes_up']:,} | "
              f"{x['wire_over_payload_up']:.3f} |")
    print()
    print("| node | LoRA bytes, all rounds | every Fleet request + response body | ratio | RPCs |")
    print("|---|---|---|---|---|")
    for t in r["node_totals"]:
        print(f"| {t['node']} | {t['payload_bytes']:,} | {t['all_fleet_body_bytes']:,} | "
              f"{t['all_fleet_over_payload']:.3f} | {t['rpcs']} |")
    print()


RENDERERS = [("matmul", matmul), ("pytorch", pytorch), ("client-cost", client_cost),
             ("client-cost-b8-t256", client_cost), ("scale", scale),
             ("replication", replication), ("jmh", jmh), ("flower-overhead", flower_overhead),
             ("flower-overhead-cap160", flower_overhead), ("flower-wire", flower_wire)]


def render(d, name, fn):
    r = load(d, name + ".json")
    if r is None:
        return None
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn(r)
    return buf.getvalue()


def main(argv):
    d = argv[1] if len(argv) > 1 else "docs/results"
    if len(argv) > 3 and argv[2] == "--fill":
        with open(argv[3]) as f:
            doc = f.read()
        for name, fn in RENDERERS:
            text = render(d, name, fn)
            if text is None:
                continue
            pat = re.compile(r"(<!-- BEGIN " + re.escape(name) + r" -->\n).*?(<!-- END " + re.escape(name) + r" -->)",
                             re.S)
            doc = pat.sub(lambda m: m.group(1) + text + m.group(2), doc)
        with open(argv[3], "w") as f:
            f.write(doc)
        return 0
    for name, fn in RENDERERS:
        text = render(d, name, fn)
        if text is not None:
            print(f"### {name}")
            print()
            print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
