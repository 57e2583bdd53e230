"""Writes scipy-vectors.json: inputs and scipy's answers for the statistics the monitor implements itself.

The monitor's unit spec (services/monitor/src/statistics/scipy-agreement.spec.ts) reads the file and requires
agreement to 1e-9. Run from the repository root after changing a case:

    python3 services/monitor/test-vectors/generate_scipy_vectors.py
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance
from sklearn import metrics

rng = np.random.default_rng(20240517)


def rounded(values, digits=4):
    return [round(float(v), digits) for v in values]


def ks_cases():
    shapes = [
        # (n1, n2, shift, scale, integer-valued): equal sizes, unequal, ties, large (asymptotic) and tiny p-values.
        (8, 8, 0.0, 1.0, False),
        (30, 45, 0.3, 1.0, False),
        (100, 250, 0.0, 1.0, False),
        (200, 200, 0.5, 1.0, False),
        (60, 90, 0.0, 1.0, True),
        (1000, 1200, 0.1, 1.0, False),
        (700, 2100, 0.0, 1.3, False),
        (1000, 3000, 0.05, 1.0, True),
        (600, 10500, 0.0, 1.0, False),
        (800, 10400, 0.08, 1.0, False),
        (500, 10200, 0.4, 1.0, False),
        (10100, 300, 0.0, 1.0, True),
    ]
    cases = []
    for n1, n2, shift, scale, integer in shapes:
        a = rng.normal(0.0, 1.0, n1)
        b = rng.normal(shift, scale, n2)
        if integer:
            a, b = np.round(a * 3), np.round(b * 3)
        a, b = rounded(a), rounded(b)
        result = stats.ks_2samp(a, b)
        cases.append({'a': a, 'b': b, 'statistic': float(result.statistic), 'pValue': float(result.pvalue)})
    return cases


def kstwo_sf_cases():
    # The one-sample two-sided distribution the asymptotic two-sample p-value uses, across its algorithm regimes.
    cases = []
    for n in [1, 2, 5, 20, 100, 140, 141, 400, 1000, 5000, 120000]:
        for d in [0.001, 0.004, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.2, 0.3, 0.45, 0.5, 0.7, 0.95]:
            cases.append({'n': n, 'd': d, 'sf': float(stats.kstwo.sf(d, n))})
    return cases


def chi2_contingency_cases():
    tables = [
        [[12, 5], [7, 14]],
        [[120, 80], [90, 110]],
        [[3, 1], [2, 6]],
        [[30, 12, 8, 50, 1], [25, 20, 10, 40, 5]],
        [[400, 310, 290], [380, 330, 300], [10, 50, 90]],
        [[1000, 20], [990, 35]],
    ]
    cases = []
    for table in tables:
        stat, p, dof, _ = stats.chi2_contingency(table)
        cases.append({'table': table, 'statistic': float(stat), 'pValue': float(p), 'dof': int(dof)})
    return cases


def chi2_sf_cases():
    return [{'x': x, 'dof': k, 'sf': float(stats.chi2.sf(x, k))}
            for k in [1, 2, 3, 7, 30, 150] for x in [0.01, 0.5, 1.0, 3.84, 10.0, 40.0, 200.0]]


def normal_sf_cases():
    return [{'z': z, 'sf': float(stats.norm.sf(z))} for z in [-5.0, -1.96, -0.3, 0.0, 0.5, 1.0, 1.645, 2.5, 4.0, 7.5, 12.0]]


def wasserstein_cases():
    cases = []
    for n1, n2, weighted in [(5, 7, False), (300, 500, False), (300, 500, True), (50, 2000, True)]:
        u = rounded(rng.normal(0, 1, n1))
        v = rounded(rng.normal(0.2, 1.5, n2))
        case = {'u': u, 'v': v}
        if weighted:
            uw = rounded(rng.uniform(0.1, 3, n1), 3)
            vw = rounded(rng.uniform(0.1, 3, n2), 3)
            case.update({'uWeights': uw, 'vWeights': vw, 'distance': float(stats.wasserstein_distance(u, v, uw, vw))})
        else:
            case['distance'] = float(stats.wasserstein_distance(u, v))
        cases.append(case)
    return cases


def jensenshannon_cases():
    cases = []
    for p, q in [([1, 2, 3], [3, 2, 1]), ([10, 0, 5, 5], [2, 8, 0, 10]), ([0.25, 0.25, 0.5], [0.25, 0.25, 0.5]),
                 ([500, 300, 150, 50], [450, 320, 180, 50])]:
        cases.append({'p': p, 'q': q, 'distance': float(distance.jensenshannon(p, q)),
                      'distanceBase2': float(distance.jensenshannon(p, q, base=2))})
    return cases


def fdr_cases():
    cases = []
    for ps in [[0.01, 0.04, 0.03, 0.005, 0.5], [0.2, 0.2, 0.9, 0.001], list(rounded(rng.uniform(0, 0.2, 20), 5))]:
        cases.append({'pValues': ps, 'adjusted': [float(x) for x in stats.false_discovery_control(ps, method='bh')]})
    return cases


def mannwhitney_cases():
    cases = []
    for n1, n2, shift, integer in [(20, 25, 0.0, False), (200, 150, 0.3, False), (80, 90, 0.0, True), (1000, 800, 0.05, True)]:
        x = rng.normal(0, 1, n1)
        y = rng.normal(shift, 1, n2)
        if integer:
            x, y = np.round(x * 2), np.round(y * 2)
        x, y = rounded(x), rounded(y)
        r = stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic')
        cases.append({'x': x, 'y': y, 'statistic': float(r.statistic), 'pValue': float(r.pvalue)})
    return cases


def two_proportion_cases():
    # The pooled two-proportion z-test; its two-sided p-value equals chi2_contingency without Yates' correction.
    cases = []
    for s1, n1, s2, n2 in [(480, 600, 455, 600), (90, 100, 80, 100), (9000, 10000, 8950, 10000), (5, 10, 6, 10)]:
        _, p, _, _ = stats.chi2_contingency([[s1, n1 - s1], [s2, n2 - s2]], correction=False)
        p1, p2, pooled = s1 / n1, s2 / n2, (s1 + s2) / (n1 + n2)
        z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        cases.append({'successes1': s1, 'n1': n1, 'successes2': s2, 'n2': n2, 'z': z, 'pValue': float(p)})
    return cases


def psi_cases():
    # PSI as Evidently defines it: empty bins count as 0.0001 of the mass on either side.
    cases = []
    for ref, cur in [([100, 200, 300, 400], [120, 180, 310, 390]), ([50, 0, 50], [10, 80, 10]), ([5, 5, 5, 5, 5], [0, 0, 0, 0, 25])]:
        p = np.array(ref, float) / sum(ref)
        q = np.array(cur, float) / sum(cur)
        p[p == 0] = 0.0001
        q[q == 0] = 0.0001
        cases.append({'reference': ref, 'current': cur, 'psi': float(np.sum((q - p) * np.log(q / p)))})
    return cases


def performance_cases():
    labels = rng.integers(0, 2, 400)
    scores = np.clip(labels * 0.3 + rng.uniform(0, 0.7, 400), 0, 1)
    scores = np.array(rounded(scores, 3))
    predicted = (scores > 0.5).astype(int)
    targets = rounded(rng.normal(10, 3, 300))
    predictions = rounded(np.array(targets) + rng.normal(0, 1, 300))
    pos, neg = scores[labels == 1], scores[labels == 0]
    u = stats.mannwhitneyu(pos, neg).statistic
    return {
        'classification': {
            'labels': [int(x) for x in labels], 'scores': [float(s) for s in scores],
            'auc': float(metrics.roc_auc_score(labels, scores)), 'aucFromU': float(u / (len(pos) * len(neg))),
            'accuracy': float(metrics.accuracy_score(labels, predicted)), 'f1': float(metrics.f1_score(labels, predicted)),
            'logLoss': float(metrics.log_loss(labels, scores)),
        },
        'regression': {
            'targets': targets, 'predictions': predictions,
            'rmse': float(math.sqrt(metrics.mean_squared_error(targets, predictions))),
            'mae': float(metrics.mean_absolute_error(targets, predictions)),
        },
    }


vectors = {
    'generatedWith': {'scipy': scipy.__version__, 'numpy': np.__version__},
    'ks2samp': ks_cases(),
    'kstwoSf': kstwo_sf_cases(),
    'chi2Contingency': chi2_contingency_cases(),
    'chi2Sf': chi2_sf_cases(),
    'normalSf': normal_sf_cases(),
    'wasserstein': wasserstein_cases(),
    'jensenShannon': jensenshannon_cases(),
    'benjaminiHochberg': fdr_cases(),
    'mannWhitneyU': mannwhitney_cases(),
    'twoProportion': two_proportion_cases(),
    'psi': psi_cases(),
    'performance': performance_cases(),
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'scipy-vectors.json')
with open(out, 'w') as f:
    json.dump(vectors, f, separators=(',', ':'))
print(f'wrote {out}')
