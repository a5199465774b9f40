package io.floe.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the benchmark process and the S3 server cost in memory and CPU: heap peaks from the memory
 * pools, RSS from /proc/self/status, CPU seconds of this JVM and of the Ceph daemons from
 * /proc/[pid]/stat (they share the machine's cores with us).
 */
final class Machine {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private Machine() {
    }

    static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** Heap peak since {@link #resetPeaks()}, RSS now and at its highest, GC count and time. */
    static String memory() {
        // The old generation's peak approximates the live set; young-generation peaks only say how
        // much garbage piled up between collections, so they are left out.
        long oldPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null && pool.getName().contains("Old")) {
                oldPeak += pool.getPeakUsage().getUsed();
            }
        }
        long committed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        long gcCount = 0;
        long gcMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMs += Math.max(0, gc.getCollectionTime());
        }
        long heapMax = Runtime.getRuntime().maxMemory();
        return String.format("heap: old-gen peak %d MiB, committed %d MiB, max %d MiB; RSS %s now / %s peak; GC %d collections %d ms total",
                oldPeak >> 20, committed >> 20, heapMax >> 20, status("VmRSS"), status("VmHWM"), gcCount, gcMs);
    }

    private static String status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kb >> 10) + " MiB";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: leave it out
        }
        return "?";
    }

    /** CPU seconds so far of this JVM and of the radosgw / ceph-osd / ceph-mon processes. */
    record Cpu(double self, double ceph) {
        Cpu minus(Cpu earlier) {
            return new Cpu(self - earlier.self, ceph - earlier.ceph);
        }

        String perSecond(double seconds) {
            return String.format("CPU: benchmark JVM %.2f cores, Ceph (radosgw+osd+mon) %.2f cores", self / seconds, ceph / seconds);
        }
    }

    static Cpu cpu() {
        double self = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                .getProcessCpuTime() / 1e9;
        double ceph = 0;
        for (long pid : cephPids()) {
            ceph += cpuSeconds(pid);
        }
        return new Cpu(self, ceph);
    }

    private static List<Long> cephPids() {
        List<Long> out = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String comm = Files.readString(d.resolve("comm")).trim();
                    if (comm.equals("radosgw") || comm.equals("ceph-osd") || comm.equals("ceph-mon")) {
                        out.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // process ended
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return out;
    }

    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND; // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
