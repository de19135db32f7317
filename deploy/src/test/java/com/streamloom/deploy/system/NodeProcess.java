package com.streamloom.deploy.system;

import com.streamloom.media.testing.Ports;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A packaged StreamLoom process (control API, edge or compositor) started as a real child process from the jars the
 * build just made, with its output in a log file for assertion messages. {@link #kill()} is a SIGKILL: the process
 * gets no chance to say goodbye, as when a machine dies.
 */
final class NodeProcess implements AutoCloseable {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CONTROL_API_JAR = ROOT.resolve("control-api/target/quarkus-app/quarkus-run.jar");
    /** The same control API built for PostgreSQL (control-api's pom packages it too; the datasource kind is fixed at build). */
    static final Path CONTROL_API_POSTGRESQL_JAR = ROOT.resolve("control-api/target/quarkus-app-postgresql/quarkus-run.jar");
    static final Path EDGE_JAR = ROOT.resolve("edge-transcoder/target/edge-transcoder.jar");
    static final Path COMPOSITOR_JAR = ROOT.resolve("cloud-compositor/target/cloud-compositor.jar");

    private final String name;
    private final Process process;
    private final Path log;

    private NodeProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The environment of a packaged control API on {@code port} with its data in {@code dir}/data. */
    static Map<String, String> controlApiEnv(Path dir, String adminToken, String joinToken, int port) {
        return Map.of(
                "STREAMLOOM_DATA", dir.resolve("data").toString(),
                "STREAMLOOM_ADMIN_TOKEN", adminToken,
                "STREAMLOOM_NODE_TOKEN", joinToken,
                "QUARKUS_HTTP_PORT", String.valueOf(port),
                "STREAMLOOM_PUBLIC_RTMP_URL", "rtmp://127.0.0.1:1935/live",
                "STREAMLOOM_PUBLIC_HLS_URL", "http://127.0.0.1:8081/hls");
    }

    /** The environment of a packaged edge named {@code name} that joins the control API at {@code controlUrl}. */
    static Map<String, String> edgeEnv(Path dir, String name, String controlUrl, String joinToken) {
        return Map.of(
                "STREAMLOOM_CONTROL_URL", controlUrl,
                "STREAMLOOM_NODE_TOKEN", joinToken,
                "STREAMLOOM_NODE_ID", name,
                "STREAMLOOM_CREDENTIAL_FILE", dir.resolve(name + ".credential").toString(),
                "STREAMLOOM_ADVERTISE_HOST", "127.0.0.1",
                "STREAMLOOM_BIND_HOST", "127.0.0.1",
                "STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()),
                "STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free()));
    }

    static NodeProcess start(String name, Path jar, Map<String, String> env, Path logDir) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: system tests run after `./mvnw package` of the "
                    + "whole project (the root pom builds every module before deploy)");
        }
        Path log = logDir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("STREAMLOOM_") || k.startsWith("QUARKUS_"));
        pb.environment().putAll(env);
        return new NodeProcess(name, pb.start(), log);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String log() {
        try {
            String text = Files.readString(log);
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static File dir(Path p) {
        return p.toFile();
    }
}
