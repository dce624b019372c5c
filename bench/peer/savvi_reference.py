"""The peer's own numbers, for PeerCountTestTest: savvi's canary test on fixed batches of event counts.

Run once, with the package from PyPI (it needs numpy, scipy, cvxpy and matplotlib, so it is not part of the build):

    python3 -m venv /tmp/savvi && /tmp/savvi/bin/pip install savvi==0.3.1 matplotlib
    /tmp/savvi/bin/python bench/peer/savvi_reference.py > bench/src/test/resources/savvi-reference.json

Each case gives the assignment probability of the candidate, the batches of events (candidate, baseline) and savvi's
log(odds) after each batch.
"""
import json
import math

import numpy as np
from savvi.multinomial import InhomogeneousPoissonProcess
import importlib.metadata

CASES = [
    # (candidate's assignment probability, batches of (candidate events, baseline events))
    (0.5, [(3, 2), (5, 6), (12, 4), (20, 9), (41, 22)]),
    (0.05, [(1, 30), (4, 61), (9, 80), (15, 140), (30, 300)]),
    (0.1, [(0, 9), (2, 18), (7, 20), (25, 90), (60, 260), (200, 900)]),
    (0.25, [(100, 300), (120, 290), (90, 310), (400, 1000)]),
]

out = {"package": "savvi " + importlib.metadata.version("savvi"), "class": "InhomogeneousPoissonProcess",
       "k": 100, "cases": []}
for rho, batches in CASES:
    test = InhomogeneousPoissonProcess(0.001, np.array([rho, 1 - rho]), np.array([[1, -1]]))
    logs = []
    for c, b in batches:
        test.update(np.array([c, b]))
        logs.append(math.log(test.odds))
    out["cases"].append({"rho": rho, "batches": batches, "logOdds": logs})
print(json.dumps(out, indent=2))
