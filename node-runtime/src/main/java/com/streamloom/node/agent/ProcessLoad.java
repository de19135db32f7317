package com.streamloom.node.agent;

import java.lang.management.ManagementFactory;

/**
 * CPU and memory of this process, for heartbeats, and the node's capacity in cost units.
 *
 * <p>Capacity model (shared with the control API's placement): one unit is one pixel per second through decode +
 * encode at cost factor 1.0 (see {@code StreamSpec.costFactor()}). Measured on the reference 2-core machine, a core
 * sustains about 40 M such units per second (720p30 is 27.6 M pixels/s), so a node's default capacity is
 * cores x 40 M; operators override it with {@code STREAMLOOM_CAPACITY}.
 */
public final class ProcessLoad {
    public static final double UNITS_PER_CORE = 40_000_000;

    private ProcessLoad() {
    }

    /** Process CPU use as a fraction of the whole machine (0..1), or 0 if the JVM cannot tell. */
    public static double cpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double v = os.getProcessCpuLoad();
            return v < 0 ? 0 : v;
        }
        return 0;
    }

    /** Resident memory of the process (heap and native: frames, codecs, Mats), as JavaCPP reads it from the OS. */
    public static long memoryBytes() {
        return org.bytedeco.javacpp.Pointer.physicalBytes();
    }

    public static double defaultCapacity() {
        String env = System.getenv("STREAMLOOM_CAPACITY");
        if (env != null && !env.isBlank()) {
            return Double.parseDouble(env.trim());
        }
        return Runtime.getRuntime().availableProcessors() * UNITS_PER_CORE;
    }
}
