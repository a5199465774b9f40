"""Turns the raw output of infra/bench/lab.sh into docs/benchmarks/results.md and the gnuplot data files.

   python3 lab-report.py WORK OUT RECORDS PROBE_RATE PROBE_SECONDS PROBE_WARMUP IDLE_SECONDS
"""
import re
import sys

work, out = sys.argv[1], sys.argv[2]
records, rate, seconds, warmup, idle = int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
GIB = 2 ** 30
PUT_CLASS = ('PUT', 'CREATE_IF_ABSENT', 'REPLACE_IF_MATCH', 'LIST')   # $0.005 / 1,000
GET_CLASS = ('GET', 'RANGE_GET')                                      # $0.0004 / 1,000; DELETE is free

tp, probes, rss = {}, {}, {}
for line in open(f'{work}/raw.txt'):
    f = line.split()
    if not f:
        continue
    if f[0] == 'tp':
        system, kind = f[1], f[2].rstrip(':')
        if kind == 'produce':
            m = re.search(r'([\d.]+) records/sec \(([\d.]+) MB/sec\).*?([\d.]+) ms avg latency.*?(\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th', line)
            if m:
                tp[(system, kind)] = dict(rps=float(m[1]), mbs=float(m[2]), p50=m[4], p99=m[6], p999=m[7])
        else:
            c = [x.strip() for x in line.split(':', 1)[1].split(',')]
            if len(c) >= 6:
                tp[(system, kind)] = dict(rps=float(c[5]), mbs=float(c[3]), p50='-', p99='-', p999='-')
    elif f[0] == 'probe' and len(f) > 3 and f[2] == 'PROBE':
        # probe LABEL PROBE produce p50 p99 p999 max e2e p50 p99 p999 max sent N acked N received N
        probes[f[1]] = dict(produce=[float(x) for x in f[4:8]], e2e=[float(x) for x in f[9:13]],
                            sent=int(f[14]), acked=int(f[16]), received=int(f[18]))
    elif f[0] == 'rss' and len(f) > 2:
        rss[f[1]] = int(f[2]) / 1024   # kB -> MiB


def snap(name):
    counts = {}
    try:
        for line in open(f'{work}/metrics-{name}.txt'):
            m = re.match(r'floe_store_requests_total\{operation="(\w+)"[^}]*\}\s+([\d.eE+]+)', line)
            if m:
                counts[m[1]] = float(m[2])
    except FileNotFoundError:
        pass
    return counts


def delta(a, b):
    x, y = snap(a), snap(b)
    return {op: y.get(op, 0) - x.get(op, 0) for op in set(x) | set(y)}


def cost(d, gib):
    put = sum(d.get(op, 0) for op in PUT_CLASS)
    get = sum(d.get(op, 0) for op in GET_CLASS)
    total = sum(d.values())
    dollars = put / 1000 * 0.005 + get / 1000 * 0.0004
    return total / gib, put / gib, get / gib, dollars / gib, total, dollars


def fmt(x, digits=1):
    return '∞' if x == float('inf') else f'{x:,.{digits}f}'


lines = []
w = lines.append
w('# Performance lab results\n')
w('Written by `infra/bench/lab.sh` (see docs/BENCHMARKS.md, "Performance lab", for the machine and the verdicts). '
  f'Throughput: {records:,} records of 1 KiB, acks=all, 8 partitions, ProducerPerformance unthrottled, then '
  f'ConsumerPerformance from the start (one group). Latency: the probe at {rate:g} MB/s of 1 KiB records, '
  f'acks=all, linger.ms=5, 8 partitions, {seconds} s measured after {warmup} s warm-up, latencies from the scheduled '
  'send time (open loop). Floe runs on Ceph radosgw (loopback); the latency models add the modelled S3 delay to every '
  'store request (`floe.s3.latency-model`). Kafka: one KRaft broker, data on the local disk.\n')

w('## Throughput, Floe vs Apache Kafka 4.3.1\n')
w('| workload | system | records/s | MB/s | p50 ms | p99 ms | p99.9 ms | Floe/Kafka |')
w('|---|---|---:|---:|---:|---:|---:|---:|')
for kind in ('produce', 'consume'):
    k, fl = tp.get(('kafka', kind)), tp.get(('floe', kind))
    for name, r in (('Kafka 4.3.1', k), ('Floe', fl)):
        if r:
            ratio = f"{fl['rps'] / k['rps']:.2f}×" if name == 'Floe' and k and fl else ''
            w(f"| {kind} 1 KiB | {name} | {r['rps']:,.0f} | {r['mbs']:.1f} | {r['p50']} | {r['p99']} | {r['p999']} | {ratio} |")
w('')

w(f'## Latency at {rate:g} MB/s (ms)\n')
w('| system | produce p50 | p99 | p99.9 | max | end-to-end p50 | p99 | p99.9 | max | received / sent |')
w('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
labels = [('kafka', 'Kafka 4.3.1 (local disk)'), ('floe-none', 'Floe, radosgw as is'),
          ('floe-s3-express', 'Floe, model s3-express'), ('floe-s3-standard', 'Floe, model s3-standard')]
for key, name in labels:
    p = probes.get(key)
    if p:
        a, e = p['produce'], p['e2e']
        w(f"| {name} | {fmt(a[0])} | {fmt(a[1])} | {fmt(a[2])} | {fmt(a[3])} | {fmt(e[0])} | {fmt(e[1])} | {fmt(e[2])} | {fmt(e[3])} | {p['received']:,} / {p['sent']:,} |")
w('')

w('## S3 requests and dollars (Floe, counted by the store)\n')
w('Prices: $0.005 per 1,000 PUT, COPY, POST, LIST; $0.0004 per 1,000 GET; DELETE free (S3 Standard, us-east-1). '
  'Conditional writes (create-if-absent, replace-if-match) are PUTs. GiB = 2^30 bytes of record payload.\n')
w('| window | requests | requests/GiB | PUT-class/GiB | GET-class/GiB | $ per GiB |')
w('|---|---:|---:|---:|---:|---:|')
tp_gib = records * 1024 / GIB
rows = [('produce (throughput run)', 'start', 'after-produce', tp_gib),
        ('consume once, one group (catch-up)', 'after-produce', 'after-consume', tp_gib),
        ('produce + consume once (throughput run)', 'start', 'after-consume', tp_gib)]
probe_gib = rate * 1e6 * (seconds + warmup) / GIB
for model in ('none', 's3-express', 's3-standard'):
    rows.append((f'probe {rate:g} MB/s, produce + consume once, model {model}', f'before-probe-{model}', f'after-probe-{model}', probe_gib))
for name, a, b, gib in rows:
    d = delta(a, b)
    if d:
        per, put, get, dol, total, _ = cost(d, gib)
        w(f'| {name} | {total:,.0f} | {per:,.0f} | {put:,.0f} | {get:,.0f} | ${dol:.4f} |')
d = delta('after-probe-none', 'after-idle')
if d:
    total = sum(d.values())
    put = sum(d.get(op, 0) for op in PUT_CLASS)
    get = sum(d.get(op, 0) for op in GET_CLASS)
    hour = 3600 / idle
    w(f'\nIdle (after the probe, no client connected, {idle} s measured): {total:,.0f} requests '
      f'({", ".join(f"{op} {int(n)}" for op, n in sorted(d.items()) if n)}) → '
      f'{total * hour:,.0f} requests and ${(put * 0.005 + get * 0.0004) / 1000 * hour:.4f} per hour for the instance and its topics.')
w('')

w('## Memory (RSS, MiB)\n')
w('| process | RSS |')
w('|---|---:|')
for key, name in (('floe-idle', 'Floe idle after start'), ('floe-peak', 'Floe peak (VmHWM) through the throughput run'),
                  ('floe-after-idle', f'Floe after {idle} s idle following the probe'), ('kafka-peak', 'Kafka broker peak (VmHWM), for reference')):
    if key in rss:
        w(f'| {name} | {rss[key]:,.0f} |')
w('')
open(f'{out}/results.md', 'w').write('\n'.join(lines))

# gnuplot data
with open(f'{work}/latency.dat', 'w') as g:
    g.write('# system produce_p50 produce_p99 produce_p999 e2e_p50 e2e_p99 e2e_p999\n')
    for key, name in labels:
        p = probes.get(key)
        if p:
            vals = [min(v, 1e6) for v in p['produce'][:3] + p['e2e'][:3]]
            short = {'kafka': 'Kafka 4.3.1', 'floe-none': 'Floe (radosgw)', 'floe-s3-express': 'Floe + s3-express',
                     'floe-s3-standard': 'Floe + s3-standard'}[key]
            g.write('"%s" %s\n' % (short, ' '.join(f'{v:.2f}' for v in vals)))
with open(f'{work}/throughput.dat', 'w') as g:
    g.write('# workload Kafka Floe\n')
    for kind in ('produce', 'consume'):
        k, fl = tp.get(('kafka', kind)), tp.get(('floe', kind))
        g.write(f'"{kind} 1 KiB" {k["mbs"] if k else 0} {fl["mbs"] if fl else 0}\n')
print('\n'.join(lines))
