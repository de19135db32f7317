package com.streamloom.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** up.sh gives every JVM it starts a named heap limit, checks it first, and stamps its own lines with ISO-8601 UTC. */
class UpScriptSettingsTest {
    static final Path UP = Path.of("local", "up.sh");
    static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z ";

    record Run(int exit, List<String> lines) {
    }

    static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", UP.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("STREAMLOOM_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("up.sh ends").isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .toList());
    }

    @Test
    void aHeapSizeJavaWouldNotTakeIsRefusedBeforeAnythingStarts() throws Exception {
        Run r = run(Map.of("STREAMLOOM_EDGE_HEAP", "lots", "STREAMLOOM_DATA",
                Files.createTempDirectory("up-heap").toString()));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.lines()).singleElement().asString().matches(ISO_UTC + ".*")
                .contains("'lots'", "STREAMLOOM_*_HEAP");
    }

    @Test
    void everyJavaProcessGetsANamedHeapLimit() throws IOException {
        List<String> javaLines = Files.readAllLines(UP).stream().map(String::strip)
                .filter(l -> l.startsWith("java ")).toList();
        assertThat(javaLines).hasSize(4).allSatisfy(l -> assertThat(l).containsPattern("java \"?-Xmx"));
        String script = Files.readString(UP);
        assertThat(script).contains("API_HEAP=\"${STREAMLOOM_API_HEAP:-512m}\"", "EDGE_HEAP=\"${STREAMLOOM_EDGE_HEAP:-1g}\"",
                "COMP_HEAP=\"${STREAMLOOM_COMPOSITOR_HEAP:-1g}\"");
    }

    @Test
    void unknownOptionIsATimestampedError() throws Exception {
        Run r = run(Map.of(), "--bogus");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.lines()).singleElement().asString().matches(ISO_UTC + "unknown option: --bogus.*");
    }
}
