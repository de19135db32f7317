package com.streamloom.deploy.system;

import com.streamloom.media.testing.Ports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code deploy/local/up.sh} run as a person runs it: in the foreground, its output read line by line, stopped with
 * Ctrl-C (SIGINT). Ports are chosen free so the test never collides with anything on the machine.
 */
final class UpScript implements AutoCloseable {
    final int apiPort = Ports.free();
    final int edgeRtmp = Ports.free();
    final int edgeHttp = Ports.free();
    final int compRtmp = Ports.free();
    final int compHttp = Ports.free();
    private final Path data;
    private Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    UpScript(Path data) {
        this.data = data;
    }

    /** Starts up.sh and waits for its four lines; returns them by prefix (DASHBOARD, TOKEN, OBS, WATCH). */
    Map<String, String> start(Duration timeout, String... args) throws IOException, InterruptedException {
        output.clear();
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", NodeProcess.ROOT.resolve("deploy/local/up.sh").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(NodeProcess.ROOT.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("STREAMLOOM_") || k.startsWith("QUARKUS_"));
        pb.environment().putAll(Map.of(
                "STREAMLOOM_DATA", data.toString(),
                "STREAMLOOM_API_PORT", String.valueOf(apiPort),
                "STREAMLOOM_EDGE_RTMP_PORT", String.valueOf(edgeRtmp),
                "STREAMLOOM_EDGE_HTTP_PORT", String.valueOf(edgeHttp),
                "STREAMLOOM_COMPOSITOR_RTMP_PORT", String.valueOf(compRtmp),
                "STREAMLOOM_COMPOSITOR_HTTP_PORT", String.valueOf(compHttp),
                "STREAMLOOM_PUBLIC_HOST", "127.0.0.1"));
        process = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "up.sh-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, String> lines = lines();
            if (lines.containsKey("WATCH")) {
                return lines;
            }
            if (!process.isAlive()) {
                throw new AssertionError("up.sh exited with " + process.exitValue() + ":\n" + String.join("\n", output));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("up.sh printed no WATCH: line within " + timeout + ":\n" + String.join("\n", output));
    }

    Map<String, String> lines() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : output) {
            for (String p : List.of("DASHBOARD", "TOKEN", "OBS", "WATCH")) {
                if (l.startsWith(p + ": ")) {
                    m.put(p, l.substring(p.length() + 2).trim());
                }
            }
        }
        return m;
    }

    List<String> output() {
        return Collections.unmodifiableList(output);
    }

    /**
     * Ctrl-C: SIGINT to the script, which stops every process it started. A shell that was started with SIGINT
     * ignored (any job a non-interactive shell sends to the background, as some CI runners do) cannot trap it, and
     * then the terminal's other stop signal, SIGTERM, which up.sh handles the same way, is sent instead.
     */
    int interrupt(Duration timeout) throws IOException, InterruptedException {
        String signal = sigintIgnored(process.pid()) ? "-TERM" : "-INT";
        new ProcessBuilder("kill", signal, String.valueOf(process.pid())).start().waitFor();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("up.sh did not stop within " + timeout + " after kill " + signal);
        }
        return process.exitValue();
    }

    /** Reads the SigIgn mask of /proc/PID/status: bit 2 (value 0x2) is SIGINT. */
    static boolean sigintIgnored(long pid) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & 0x2) != 0;
            }
        }
        return false;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            interrupt(Duration.ofSeconds(30));
        }
    }
}
