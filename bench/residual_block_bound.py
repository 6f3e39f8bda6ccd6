#!/usr/bin/env python3
"""Residual-block lower bound on the latency of an MSR (Tarnawski et al.)
workload under diviml's evaluator (docs/objectives.md, "Residual blocks").

The graph must be a chain of articulation nodes joined either by one edge or
by a block: a fork f, two disjoint branches (main: the longer by memory, skip:
0-2 nodes) and a join j. Accelerators are identical (1 slot, capacity cap),
CPU cores identical and unlimited; routes acc->acc cost 2c, acc<->cpu c,
cpu<->cpu 0 (c = bytes(u) = largest out-edge cost of u).
"""
import json, sys
from collections import defaultdict

def load(path):
    d = json.load(open(path))
    cap = d['maxSizePerFPGA']
    N = {n['id']: n for n in d['nodes']}
    succ, pred = defaultdict(list), defaultdict(list)
    cost = {}
    for e in d['edges']:
        succ[e['sourceId']].append(e['destId']); pred[e['destId']].append(e['sourceId'])
        cost[e['sourceId']] = max(cost.get(e['sourceId'], 0.0), e['cost'])
    groups = defaultdict(list)
    for n in d['nodes']:
        groups[n['colorClass']].append(n['id'])
    assert all(len(g) == 1 for g in groups.values()), 'colocation groups not handled'
    return dict(cap=cap, N=N, succ=succ, pred=pred, c=lambda u: cost.get(u, 0.0),
                acc=lambda v: N[v]['fpgaLatency'] if N[v]['supportedOnFpga'] else float('inf'),
                cpu=lambda v: N[v]['cpuLatency'], mem=lambda v: N[v]['size'])

def structure(g):
    """[(u, None)] chain steps or (f, (main, skip, j)) blocks, from the source."""
    succ, pred = g['succ'], g['pred']
    srcs = [v for v in g['N'] if not pred[v]]
    assert len(srcs) == 1
    v = srcs[0]; steps = [v]; blocks = []
    while succ[v]:
        if len(succ[v]) == 1 and len(pred[succ[v][0]]) == 1:
            w = succ[v][0]; blocks.append(('edge', v, w)); v = w; continue
        assert len(succ[v]) == 2, v
        brs = []
        for s in succ[v]:
            br = []; x = s
            while len(pred[x]) == 1:
                assert len(succ[x]) == 1, x
                br.append(x); x = succ[x][0]
            brs.append((br, x))
        j = brs[0][1]; assert brs[1][1] == j and len(pred[j]) == 2, v
        brs.sort(key=lambda b: -sum(g['mem'](x) for x in b[0]))
        main, skip = brs[0][0], brs[1][0]
        if not main:
            main, skip = skip, main
        blocks.append(('block', v, (main, skip, j))); v = j
    return srcs[0], blocks

def tau(a, b, c):
    """Route time between device classes: 'A' 'X' 'J' 'Y' accelerators, 'C' cpu.
    Same label = same device."""
    if a == b: return 0.0
    if a == 'C' and b == 'C': return 0.0
    if a == 'C' or b == 'C': return c
    return 2 * c

def pareto(states):
    """states: dict key -> list of (mem..., value); keep non-dominated."""
    out = {}
    for k, lst in states.items():
        lst = sorted(set(lst))
        keep = []
        for s in lst:
            if not any(all(t[i] <= s[i] for i in range(len(s))) for t in keep):
                keep.append(s)
        out[k] = keep
    return out

def bound(g):
    cap = g['cap']; EPS = cap * 1e-9
    occ = lambda v, cls: g['cpu'](v) if cls == 'C' else g['acc'](v)
    src, blocks = structure(g)
    # outer state: class 'A' (accelerator) or 'C' -> list of (mem, finish lb)
    S = {}
    if g['acc'](src) < float('inf') and g['mem'](src) <= cap + EPS:
        S['A'] = [(g['mem'](src), g['acc'](src))]
    S['C'] = [(0.0, g['cpu'](src))]
    for kind, f, data in blocks:
        NS = defaultdict(list)
        if kind == 'edge':
            w = data; c = g['c'](f); m = g['mem'](w)
            for cls, lst in S.items():
                for mem, val in lst:
                    if cls == 'A' and mem + m <= cap + EPS and occ(w, 'A') < float('inf'):
                        NS['A'].append((mem + m, val + occ(w, 'A')))
                    if cls == 'C':
                        NS['C'].append((0.0, val + occ(w, 'C')))
                    for nc, lab in (('A', 'X'), ('C', 'C')):
                        if nc == 'A' and (m > cap + EPS or occ(w, 'A') == float('inf')): continue
                        if nc == cls == 'C': continue
                        t = tau('A' if cls == 'A' else 'C', lab, c)
                        NS[nc].append((m if nc == 'A' else 0.0, val + t + occ(w, nc)))
            S = pareto(NS); continue
        main, skip, j = data
        for cls, lst in S.items():
            for memA0, vf in lst:
                # inner states along main: (cur, memA, memX) -> value; cur in A, X, C
                # when f on a cpu core, 'A' is that core: same as 'C'.
                fA = cls == 'A'
                inner = defaultdict(list)
                inner['A' if fA else 'C'].append((memA0 if fA else 0.0, 0.0, vf))
                prev = f
                for w in main + [j]:
                    c = g['c'](prev); m = g['mem'](w); ni = defaultdict(list)
                    accok = occ(w, 'A') < float('inf')
                    for cur, L in inner.items():
                        for memA, memX, val in L:
                            # stay
                            if cur == 'A' and accok and memA + m <= cap + EPS:
                                ni['A'].append((memA + m, memX, val + occ(w, 'A')))
                            if cur == 'X' and accok and memX + m <= cap + EPS:
                                ni['X'].append((memA, memX + m, val + occ(w, 'A')))
                            if cur == 'C':
                                ni['C'].append((memA, memX, val + occ(w, 'C')))
                            # move
                            if cur != 'A' and fA and accok and memA + m <= cap + EPS:
                                ni['A'].append((memA + m, memX, val + tau(cur, 'A', c) + occ(w, 'A')))
                            if accok and m <= cap + EPS:  # a new accelerator run
                                ni['X'].append((memA, m, val + tau(cur, 'Y', c) + occ(w, 'A')))
                            if cur != 'C':
                                ni['C'].append((memA, memX, val + tau(cur, 'C', c) + occ(w, 'C')))
                    inner = pareto(ni); prev = w
                # inner states now at j (value includes occ(j)). Skip branch.
                for cur, L in inner.items():
                    Jlab = cur  # 'A', 'X' (j's device, distinct from A) or 'C'
                    for memA, memX, val in L:
                        best = {}  # (mem at j) -> min skip delay
                        labs = ['A', 'X', 'Y', 'C'] if fA else ['X', 'Y', 'C']
                        # 'X' here = j's device when Jlab == 'X'; 'Y' another accelerator
                        def rec(i, prevlab, prevnode, t, mA, mJ):
                            if i == len(skip):
                                jl = Jlab
                                tt = t + tau(prevlab, jl if jl != 'C' else 'C', g['c'](prevnode)) + occ(j, jl)
                                key = (mA, mJ)
                                if key not in best or best[key] > tt: best[key] = tt
                                return
                            s = skip[i]; m = g['mem'](s)
                            for lab in labs:
                                if lab == 'X' and Jlab != 'X': continue
                                if lab == 'A' and Jlab == 'A':
                                    pass
                                if lab != 'C' and occ(s, 'A') == float('inf'): continue
                                nA, nJ = mA, mJ
                                if lab == 'A':
                                    nA += m
                                    if nA > cap + EPS: continue
                                if lab == 'X':
                                    nJ += m
                                    if nJ > cap + EPS: continue
                                if lab == 'Y' and m > cap + EPS: continue
                                rec(i + 1, lab, s, t + tau(prevlab, lab, g['c'](prevnode)) + occ(s, lab if lab == 'C' else 'A'),
                                    nA, nJ)
                        rec(0, 'A' if fA else 'C', f, vf, memA, memX)
                        for (mA, mJ), sk in best.items():
                            v = max(val, sk)
                            if Jlab == 'A': NS['A'].append((mA, v))
                            elif Jlab == 'X': NS['A'].append((mJ, v))
                            else: NS['C'].append((0.0, v))
        S = pareto(NS)
    return min(v for L in S.values() for _, v in L)

if __name__ == '__main__':
    for p in sys.argv[1:]:
        g = load(p)
        print(p.split('/')[-1], round(bound(g), 3))
