package com.streamloom.edge;

import com.streamloom.media.testing.Ports;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every line an edge process logs starts with an ISO-8601 UTC timestamp, whatever the host's time zone. */
class EdgeLogFormatTest {
    @Test
    void anEdgeProcessLogsIsoUtcTimestampsInAnotherTimeZone() throws Exception {
        Path cfg = Files.createTempFile("edge-log", ".json");
        Files.writeString(cfg, """
                {"bindHost": "127.0.0.1", "nodeToken": "Lg7-Tq3Wz9Rk5Xm2Vp8Nc4Hd",
                 "streams": [{"key": "log-key-0123456789abcdefgh", "spec": {"name": "logs"}}]}""");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EdgeMain.class.getName(), "--config", cfg.toString())
                .redirectErrorStream(true);
        pb.environment().put("TZ", "America/New_York");
        pb.environment().put("STREAMLOOM_RTMP_PORT", String.valueOf(Ports.free()));
        pb.environment().put("STREAMLOOM_HTTP_PORT", String.valueOf(Ports.free()));
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
                lines.add(line);
                if (line.contains(" up: RTMP ")) {
                    break;
                }
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(cfg);
        }
        List<String> ours = lines.stream().filter(l -> l.contains(" INFO ") || l.contains(" WARN ")).toList();
        assertThat(ours).as("log lines: %s", lines).anyMatch(l -> l.contains(" up: RTMP "));
        assertThat(ours).allSatisfy(l -> assertThat(l).matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z .*"));
    }
}
