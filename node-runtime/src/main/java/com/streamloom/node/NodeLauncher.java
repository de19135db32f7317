package com.streamloom.node;

import com.streamloom.spec.SpecException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code main} of a media node process: {@code [--config node.json]} (or {@code STREAMLOOM_CONFIG}), the config
 * loaded with environment overrides, a standalone node without a node token given one ({@link NodeTokenFile}),
 * the node started, and closed by the shutdown hook. A bad command line or config
 * is reported with the field that is wrong and exit code 2.
 */
public final class NodeLauncher {
    /** Starts a node from its config; the result is closed on shutdown. */
    @FunctionalInterface
    public interface Starter {
        AutoCloseable start(NodeConfig config) throws Exception;
    }

    private NodeLauncher() {
    }

    /**
     * Runs until the JVM is asked to stop.
     *
     * @param program         name for the usage line, e.g. "edge-transcoder"
     * @param defaultRtmpPort RTMP port when neither file nor environment sets one
     * @param defaultHttpPort HTTP port likewise
     */
    public static void run(String program, String[] args, int defaultRtmpPort, int defaultHttpPort, Starter starter)
            throws Exception {
        System.setProperty("java.awt.headless", "true");
        // One timestamp format in every process: ISO-8601 in UTC (2026-12-03T14:05:09.123Z), whatever the host's zone.
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = Path.of(args[++i]);
            } else {
                System.err.println("usage: " + program + " [--config node.json]");
                System.exit(2);
            }
        }
        if (config == null && System.getenv("STREAMLOOM_CONFIG") != null) {
            config = Path.of(System.getenv("STREAMLOOM_CONFIG"));
        }
        if (config != null && !Files.isReadable(config)) {
            System.err.println("config file not readable: " + config);
            System.exit(2);
        }
        NodeConfig cfg;
        try {
            cfg = NodeConfig.load(config, System.getenv(), defaultRtmpPort, defaultHttpPort);
        } catch (SpecException | IOException | NumberFormatException e) {
            System.err.println("invalid config: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            cfg = NodeTokenFile.ensureToken(cfg, config, System.getenv(), System.out);
        } catch (IOException e) {
            System.err.println("cannot keep the node token: " + e.getMessage());
            System.exit(2);
            return;
        }
        AutoCloseable node;
        try {
            node = starter.start(cfg);
        } catch (IllegalArgumentException e) {
            // e.g. a TLS certificate or key that cannot be used: the message names the file, never its content
            System.err.println("cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "shutdown"));
        stopped.await();
    }
}
