"""Prints epsilon from Google's dp-accounting for (q, sigma, steps) triples, for RdpAccountantParityTest.

Input: JSON on stdin, {"delta": d, "orders": [int...] or null, "cases": [[q, sigma, steps], ...]}.
Output: JSON list of epsilons, one per case, from RdpAccountant with Poisson-sampled Gaussian events.
"""
import json
import sys

import dp_accounting

req = json.load(sys.stdin)
out = []
for q, sigma, steps in req["cases"]:
    acc = dp_accounting.rdp.RdpAccountant(orders=req.get("orders"))
    acc.compose(dp_accounting.PoissonSampledDpEvent(q, dp_accounting.GaussianDpEvent(sigma)), int(steps))
    out.append(acc.get_epsilon(req["delta"]))
print(json.dumps(out))
