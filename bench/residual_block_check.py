#!/usr/bin/env python3
"""Checks residual_block_bound.py against exact optima by enumeration (all
placements x all topological orders) under a transcription of the latency
evaluator (docs/objectives.md) for the MSR platform."""
import itertools, random, sys, heapq
sys.path.insert(0, __file__.rsplit('/', 1)[0])
import residual_block_bound as rb

def simulate(w, dev, order, K, L):
    # devices 0..K-1 accelerators, K..K+L-1 cpu cores; host = K.
    N = {n['id']: n for n in w['nodes']}
    host = K
    bytes_ = {}
    preds = {n['id']: [] for n in w['nodes']}
    for e in w['edges']:
        bytes_[e['sourceId']] = max(bytes_.get(e['sourceId'], 0.0), e['cost'])
        preds[e['destId']].append(e['sourceId'])
    pos = {n['id']: i for i, n in enumerate(w['nodes'])}
    for v in preds:  # Problem keeps predecessor lists sorted by index
        preds[v] = sorted(set(preds[v]), key=pos.get)
    def route(a, b):
        if a == b: return []
        if a == host or b == host: return [(a, b)]
        return [(a, host), (host, b)]
    def legdur(x, y, b):
        if x >= K and y >= K: return 0.0  # cpu <-> host free
        return b
    slot = [0.0] * (K + L); link = {}; arr = {}; fin = {}
    def charged(x): return x != host
    def arrival(u, d):
        if (u, d) in arr: return arr[(u, d)]
        t = fin[u]
        for (x, y) in route(dev[u], d):
            if (u, y) in arr: t = arr[(u, y)]; continue
            dur = legdur(x, y, bytes_.get(u, 0.0))
            if dur == 0: e = t
            else:
                s = max(t, link.get((x, y), 0.0))
                if charged(x): s = max(s, slot[x])
                if charged(y): s = max(s, slot[y])
                e = s + dur; link[(x, y)] = e
                if charged(x): slot[x] = e
                if charged(y): slot[y] = e
            arr[(u, y)] = e; t = e
        return t
    for v in order:
        d = dev[v]; ready = 0.0
        for u in preds[v]:
            ready = max(ready, fin[u] if dev[u] == d else arrival(u, d))
        occ = N[v]['fpgaLatency'] if d < K else N[v]['cpuLatency']
        st = max(ready, slot[d]); fin[v] = st + occ; slot[d] = fin[v]
    return max(fin.values())

def topo_orders(ids, preds):
    res = []
    def rec(done, cur):
        if len(cur) == len(ids): res.append(list(cur)); return
        for v in ids:
            if v not in done and all(p in done for p in preds[v]):
                done.add(v); cur.append(v); rec(done, cur); cur.pop(); done.remove(v)
    rec(set(), []); return res

def random_workload(rng):
    # chain of articulation nodes with identity, 1- and 2-node-skip blocks (<= 7 nodes)
    nid = [0]; nodes = []; edges = []
    def node():
        nid[0] += 1
        nodes.append(dict(id=nid[0], supportedOnFpga=1 if rng.random() > 0.05 else 0,
                          fpgaLatency=round(rng.uniform(0, 3), 2),
                          cpuLatency=round(rng.uniform(2, 20), 2), size=rng.choice([1, 2, 3, 4]),
                          colorClass=nid[0]))
        return nid[0]
    def edge(a, b, c): edges.append(dict(sourceId=a, destId=b, cost=c))
    v = node(); total = 1
    while nid[0] < 7:
        if nid[0] > 4 and rng.random() < 0.5:
            w = node(); edge(v, w, rng.choice([0.5, 1, 2, 4, 8])); v = w; continue
        r = rng.random(); c = rng.choice([0.5, 1, 2, 4, 8])
        if r < 0.35 or nid[0] > 3:
            w = node(); edge(v, w, c); v = w
        else:
            main = [node() for _ in range(rng.randint(1, 2))]
            skip = [node() for _ in range(rng.randint(0, 2 if len(main) == 1 else 1))]
            j = node()
            prev = v
            for x in main: edge(prev, x, c); prev = x; c = rng.choice([0.5, 1, 2, 4, 8])
            edge(prev, j, c)
            prev = v; c0 = [e['cost'] for e in edges if e['sourceId'] == v][0]
            for x in skip: edge(prev, x, c0 if prev == v else rng.choice([0.5, 2])); prev = x
            edge(prev, j, c0 if prev == v else rng.choice([0.5, 2]))
            v = j
    return dict(nodes=nodes, edges=edges, maxSizePerFPGA=float(rng.choice([4, 5, 6, 8])),
                maxFPGAs=3, maxCPUs=2)

def main(seeds, first=0):
    import json, tempfile, os
    worst = 0; wins = 0
    for seed in range(first, first + seeds):
        rng = random.Random(seed); w = random_workload(rng)
        K, L = w['maxFPGAs'], w['maxCPUs']
        path = tempfile.mktemp(suffix='.json'); json.dump(w, open(path, 'w'))
        g = rb.load(path); os.remove(path)
        b = rb.bound(g)
        ids = [n['id'] for n in w['nodes']]
        N = {n['id']: n for n in w['nodes']}
        preds = {v: [] for v in ids}
        for e in w['edges']: preds[e['destId']].append(e['sourceId'])
        orders = topo_orders(ids, preds)
        best = float('inf')
        for devs in itertools.product(range(K + L), repeat=len(ids)):
            dev = dict(zip(ids, devs))
            ok = True; memu = [0] * K
            for v in ids:
                if dev[v] < K:
                    if not N[v]['supportedOnFpga']: ok = False; break
                    memu[dev[v]] += N[v]['size']
            if not ok or max(memu) > w['maxSizePerFPGA']: continue
            # symmetry: accelerators in order of first use, cpus likewise
            for o in orders:
                best = min(best, simulate(w, dev, o, K, L))
        assert b <= best * (1 + 1e-9), (seed, b, best)
        worst = max(worst, b / best)
        print(seed, round(b, 3), round(best, 3))
    print('max bound/optimum', worst)

if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20, int(sys.argv[2]) if len(sys.argv) > 2 else 0)
