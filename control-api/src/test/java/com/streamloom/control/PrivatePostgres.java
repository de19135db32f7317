package com.streamloom.control;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of the test's own (initdb and pg_ctl on a temporary directory and a free port, run as the
 * {@code postgres} user when the test runs as root), so a test may really stop and start it without touching the
 * machine's shared server. Override the binaries' directory with STREAMLOOM_TEST_PG_BIN.
 */
public class PrivatePostgres implements QuarkusTestResourceLifecycleManager {
    private static final String BIN = System.getenv().getOrDefault("STREAMLOOM_TEST_PG_BIN", "/usr/lib/postgresql/15/bin");
    private static volatile PrivatePostgres current;
    private Path dir;
    private int port;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("streamloom-pg");
            run("chown", "postgres", dir.toString());
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            pg(BIN + "/initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres");
            startServer();
            current = this;
            return Map.of(
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=3",
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "",
                    "quarkus.flyway.clean-at-start", "true");
        } catch (IOException e) {
            throw new IllegalStateException("could not start a private PostgreSQL", e);
        }
    }

    /** The running instance (one test class at a time uses it). */
    public static PrivatePostgres current() {
        return current;
    }

    public void startServer() throws IOException {
        pg(BIN + "/pg_ctl", "-D", dir.resolve("data").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "-l", dir.resolve("log").toString(),
                "-w", "-t", "60", "start");
    }

    public void stopServer() throws IOException {
        pg(BIN + "/pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "-t", "60", "stop");
    }

    @Override
    public void stop() {
        try {
            stopServer();
        } catch (IOException | RuntimeException e) {
            // already stopped
        }
        try {
            run("rm", "-rf", dir.toString());
        } catch (IOException e) {
            // a temporary directory; the system cleans it
        }
    }

    private static void pg(String... command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        run(cmd.toArray(String[]::new));
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
