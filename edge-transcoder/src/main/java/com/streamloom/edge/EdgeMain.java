package com.streamloom.edge;

import com.streamloom.media.node.NodeConfig;
import com.streamloom.spec.SpecException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar edge-transcoder.jar [--config edge.json]}. Without a control URL (file or
 * STREAMLOOM_CONTROL_URL) the edge runs standalone from its config file. A config error is reported with the field
 * that is wrong and exit code 2.
 */
public final class EdgeMain {
    private EdgeMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = Path.of(args[++i]);
            } else {
                System.err.println("usage: edge-transcoder [--config edge.json]");
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
            cfg = NodeConfig.load(config, System.getenv(), 1935, 8081);
        } catch (SpecException | java.io.IOException e) {
            System.err.println("invalid config: " + e.getMessage());
            System.exit(2);
            return;
        }
        EdgeNode node = EdgeNode.start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
