"""Turns the raw output of infra/bench/lab.sh into docs/benchmarks/results.md and the gnuplot data files.

   python3 lab-report.py WORK OUT RECORDS PROBE_RATE PROBE_SECONDS PROBE_WARMUP IDLE_SECONDS BATCHED_PROPS FLOE_JAVA_OPTS

Every workload runs with two producer profiles, the same for Kafka and Floe: "default" (the client's
defaults, acks=all) and "batched" (BATCHED_PROPS added).
"""
import re
import sys

work, out = sys.argv[1], sys.argv[2]
records, rate, seconds, warmup, idle = int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
batched, java_opts, cost_settings = sys.argv[8], sys.argv[9], sys.argv[10]
PROFILES = ('default', 'batched')
GIB = 2 ** 30
PUT_CLASS = ('PUT', 'CREATE_IF_ABSENT', 'REPLACE_IF_MATCH', 'LIST')   # $0.005 / 1,000
GET_CLASS = ('GET', 'RANGE_GET')                                      # $0.0004 / 1,000; DELETE is free

tp, probes, rss, counts, cpu = {}, {}, {}, {}, {}
for line in open(f'{work}/raw.txt'):
    f = line.split()
    if not f:
        continue
    if f[0] == 'tp':
        # tp SYSTEM PROFILE produce|consume: <the tool's last line>
        system, profile, kind = f[1], f[2], f[3].rstrip(':')
        if kind == 'produce':
            m = re.search(r'([\d.]+) records/sec \(([\d.]+) MB/sec\).*?([\d.]+) ms avg latency.*?(\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th', line)
            if m:
                tp[(system, profile, kind)] = dict(rps=float(m[1]), mbs=float(m[2]), p50=m[4], p99=m[6], p999=m[7])
        else:
            c = [x.strip() for x in line.split(':', 1)[1].split(',')]
            if len(c) >= 6:
                tp[(system, profile, kind)] = dict(rps=float(c[5]), mbs=float(c[3]), p50='-', p99='-', p999='-')
    elif f[0] == 'probe' and len(f) > 4 and f[3] == 'PROBE':
        # probe LABEL PROFILE PROBE produce p50 p99 p999 max e2e p50 p99 p999 max sent N acked N received N
        probes[(f[1], f[2])] = dict(produce=[float(x) for x in f[5:9]], e2e=[float(x) for x in f[10:14]],
                                    sent=int(f[15]), acked=int(f[17]), received=int(f[19]))
    elif f[0] == 'cpu' and len(f) > 5:
        # cpu SYSTEM PROFILE produce|consume TICKS TICKS_PER_SECOND: the server process's user+system time
        cpu[(f[1], f[2], f[3])] = int(f[4]) / int(f[5])
    elif f[0] == 'records' and len(f) > 3:
        counts[(f[1], f[2])] = int(f[3])
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
  f'store request (`floe.s3.latency-model`); Floe\'s JVM: `{java_opts}`. Kafka: one KRaft broker, data on the local disk.\n\n'
  'Producer profiles, the same for both systems: **default** = the Kafka client\'s defaults (batch.size 16 KiB, '
  f'linger.ms 5, at most 5 requests in flight); **batched** = `{batched}`, the larger batches object-storage-backed '
  'Kafka services ask their users to configure.\n')

w('## Throughput, Floe vs Apache Kafka 4.3.1\n')
w('Server CPU: the user+system time of the server process over the phase, per GiB of record payload (the '
  'client\'s CPU is not counted; for Floe on radosgw neither is radosgw\'s, as S3\'s is not in production).\n')
w('| workload | producer | system | records/s | MB/s | p50 ms | p99 ms | p99.9 ms | Floe/Kafka | server CPU s/GiB | CPU ÷ Kafka |')
w('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')


def cpu_per_gib(system, profile, kind):
    ticks = cpu.get((system, profile, kind))
    n = counts.get((system, profile), records)
    return ticks / (n * 1024 / GIB) if ticks is not None else None


for kind in ('produce', 'consume'):
    for profile in PROFILES:
        k = tp.get(('kafka', profile, kind))
        kc = cpu_per_gib('kafka', profile, kind)
        systems = (('kafka', 'Kafka 4.3.1'), ('floe', 'Floe on radosgw'), ('floe-files', 'Floe on local files'),
                   ('floe-cost', f'Floe, cost settings, {counts.get(("floe-cost", profile), 0):,} records'))
        for system, name in systems:
            r = tp.get((system, profile, kind))
            if r:
                ratio = f"{r['rps'] / k['rps']:.2f}×" if system in ('floe', 'floe-files') and k else ''
                c = cpu_per_gib(system, profile, kind)
                c_text = f'{c:.1f}' if c is not None else '-'
                c_ratio = f'{c / kc:.2f}×' if c is not None and kc and system != 'kafka' else ''
                w(f"| {kind} 1 KiB | {profile} | {name} | {r['rps']:,.0f} | {r['mbs']:.1f} | {r['p50']} | {r['p99']} | {r['p999']} | {ratio} | {c_text} | {c_ratio} |")
w('')

w(f'## Latency at {rate:g} MB/s (ms)\n')
w('| system | producer | produce p50 | p99 | p99.9 | max | end-to-end p50 | p99 | p99.9 | max | received / sent |')
w('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
labels = [('kafka', 'Kafka 4.3.1 (local disk)'), ('floe-none', 'Floe, radosgw as is'),
          ('floe-s3-express', 'Floe, model s3-express'), ('floe-s3-standard', 'Floe, model s3-standard')]
for key, name in labels:
    for profile in PROFILES:
        p = probes.get((key, profile))
        if p:
            a, e = p['produce'], p['e2e']
            w(f"| {name} | {profile} | {fmt(a[0])} | {fmt(a[1])} | {fmt(a[2])} | {fmt(a[3])} | {fmt(e[0])} | {fmt(e[1])} | {fmt(e[2])} | {fmt(e[3])} | {p['received']:,} / {p['sent']:,} |")
w('')

w('## S3 requests and dollars (Floe, counted by the store)\n')
w('Prices: $0.005 per 1,000 PUT, COPY, POST, LIST; $0.0004 per 1,000 GET; DELETE free (S3 Standard, us-east-1). '
  'Conditional writes (create-if-absent, replace-if-match) are PUTs. GiB = 2^30 bytes of record payload.\n')
w('| window | requests | requests/GiB | PUT-class/GiB | GET-class/GiB | $ per GiB |')
w('|---|---:|---:|---:|---:|---:|')
tp_gib = records * 1024 / GIB
rows = []
for system, what in (('floe', 'defaults'), ('floe-cost', f'cost settings `{cost_settings}`')):
    for profile in PROFILES:
        n = counts.get((system, profile))
        if not n:
            continue
        gib = n * 1024 / GIB
        rows += [(f'produce {gib:.2f} GiB, Floe {what}, {profile} producer', f'{system}-start-{profile}', f'{system}-after-produce-{profile}', gib),
                 (f'consume once, one group, Floe {what}, {profile} producer', f'{system}-after-produce-{profile}', f'{system}-after-consume-{profile}', gib),
                 (f'**produce + consume once, Floe {what}, {profile} producer**', f'{system}-start-{profile}', f'{system}-after-consume-{profile}', gib)]
probe_gib = rate * 1e6 * (seconds + warmup) / GIB
for model in ('none', 's3-express', 's3-standard'):
    for profile in PROFILES:
        rows.append((f'probe {rate:g} MB/s, produce + consume once, model {model}, {profile}',
                     f'before-probe-{model}-{profile}', f'after-probe-{model}-{profile}', probe_gib))
for name, a, b, gib in rows:
    d = delta(a, b)
    if d:
        per, put, get, dol, total, _ = cost(d, gib)
        w(f'| {name} | {total:,.0f} | {per:,.0f} | {put:,.0f} | {get:,.0f} | ${dol:.4f} |')
w('')
for a, b, what in (('idle-0', 'idle-1', f'the first {idle} s after the last probe (background work on what the load left)'),
                   ('idle-1', 'idle-2', f'the next {idle} s (steady idle)')):
    d = delta(a, b)
    if d:
        total = sum(d.values())
        put = sum(d.get(op, 0) for op in PUT_CLASS)
        get = sum(d.get(op, 0) for op in GET_CLASS)
        hour = 3600 / idle
        w(f'- Idle, no client connected, {what}: {total:,.0f} requests '
          f'({", ".join(f"{op} {int(n)}" for op, n in sorted(d.items()) if n) or "none"}) → '
          f'{total * hour:,.0f} requests and ${(put * 0.005 + get * 0.0004) / 1000 * hour:.4f} per hour for the instance and its topics.')
w('')

w('## Memory (RSS, MiB)\n')
w('| process | RSS |')
w('|---|---:|')
for key, name in (('floe-idle', 'Floe idle after start'), ('floe-peak', 'Floe peak (VmHWM) through the throughput run'),
                  ('floe-after-idle', f'Floe after {2 * idle} s idle following the probes'),
                  ('floe-peak-all', 'Floe peak (VmHWM) over its whole run: throughput, probes, idle'),
                  ('kafka-peak', 'Kafka broker peak (VmHWM), for reference')):
    if key in rss:
        w(f'| {name} | {rss[key]:,.0f} |')
w('')
open(f'{out}/results.md', 'w').write('\n'.join(lines))

# gnuplot data
with open(f'{work}/latency.dat', 'w') as g:
    g.write('# system produce_p50 produce_p99 produce_p999 e2e_p50 e2e_p99 e2e_p999\n')
    for key, name in labels:
        for profile in PROFILES:
            p = probes.get((key, profile))
            if p:
                vals = [min(v, 1e6) for v in p['produce'][:3] + p['e2e'][:3]]
                short = {'kafka': 'Kafka', 'floe-none': 'Floe', 'floe-s3-express': 'Floe+express',
                         'floe-s3-standard': 'Floe+standard'}[key]
                g.write('"%s %s" %s\n' % (short, profile, ' '.join(f'{v:.2f}' for v in vals)))
with open(f'{work}/throughput.dat', 'w') as g:
    g.write('# workload Kafka Floe\n')
    for kind in ('produce', 'consume'):
        for profile in PROFILES:
            k, fl = tp.get(('kafka', profile, kind)), tp.get(('floe', profile, kind))
            g.write(f'"{kind} ({profile})" {k["mbs"] if k else 0} {fl["mbs"] if fl else 0}\n')
print('\n'.join(lines))
