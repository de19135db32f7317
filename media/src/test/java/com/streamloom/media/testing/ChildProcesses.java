package com.streamloom.media.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Child processes of the test kit (ffmpeg, the RTSP camera) that are still running when the test JVM exits are
 * ended by a shutdown hook, so a test that forgot to close one, or a run stopped with Ctrl-C, leaves no encoder
 * or camera behind on a shared machine.
 */
final class ChildProcesses {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "test-kit-child-reaper"));
    }

    private ChildProcesses() {
    }

    static Process track(Process p) {
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
        return p;
    }
}
