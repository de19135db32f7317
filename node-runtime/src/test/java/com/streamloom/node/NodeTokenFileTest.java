package com.streamloom.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invariant: a standalone node always has a node token, generated once, kept 0600 beside its config, shown once. */
class NodeTokenFileTest {
    @TempDir
    Path dir;

    @Test
    void theFirstStartGeneratesPrintsAndKeepsTheTokenLaterStartsOnlyReadIt() throws Exception {
        Path configFile = Files.writeString(dir.resolve("edge.json"), "{}");
        NodeConfig config = NodeConfig.load(configFile, Map.of(), 1935, 8081);
        assertThat(config.nodeToken()).isNull();

        ByteArrayOutputStream firstConsole = new ByteArrayOutputStream();
        NodeConfig first = NodeTokenFile.ensureToken(config, configFile, Map.of(), console(firstConsole));
        String token = first.nodeToken();
        assertThat(token).hasSizeGreaterThanOrEqualTo(40).matches("[A-Za-z0-9_-]+");
        Path file = dir.resolve("edge.node-token");
        assertThat(Files.readString(file).strip()).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(firstConsole.toString(StandardCharsets.UTF_8)).contains(token).contains(file.toString());

        ByteArrayOutputStream laterConsole = new ByteArrayOutputStream();
        NodeConfig later = NodeTokenFile.ensureToken(config, configFile, Map.of(), console(laterConsole));
        assertThat(later.nodeToken()).isEqualTo(token);
        assertThat(laterConsole.size()).as("printed only at the first start").isZero();
    }

    @Test
    void aConfiguredTokenOrClusterModeNeedsNoFile() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NodeConfig withToken = NodeConfig.load(null, Map.of("STREAMLOOM_NODE_TOKEN", "vQ7yHc2LxN9kTb4RmW1sJf6Pd3Ge8ZaU"),
                1935, 8081);
        Map<String, String> env = Map.of("STREAMLOOM_NODE_TOKEN_FILE", dir.resolve("t").toString());
        assertThat(NodeTokenFile.ensureToken(withToken, null, env, console(out))).isSameAs(withToken);
        NodeConfig cluster = NodeConfig.load(null, Map.of("STREAMLOOM_CONTROL_URL", "http://control:8080"), 1935, 8081);
        assertThat(NodeTokenFile.ensureToken(cluster, null, env, console(out)).nodeToken()).isNull();
        assertThat(dir.resolve("t")).doesNotExist();
        assertThat(out.size()).isZero();
    }

    @Test
    void theTokenFileSettingOverridesTheLocationAndAStubIsRefused() throws Exception {
        Path file = dir.resolve("secrets/node.token");
        NodeConfig config = NodeTokenFile.ensureToken(NodeConfig.load(null, Map.of(), 1935, 8081), null,
                Map.of("STREAMLOOM_NODE_TOKEN_FILE", file.toString()), console(new ByteArrayOutputStream()));
        assertThat(Files.readString(file).strip()).isEqualTo(config.nodeToken());

        Path stub = Files.writeString(dir.resolve("stub.token"), "change-me\n");
        assertThatThrownBy(() -> NodeTokenFile.loadOrCreate(stub, console(new ByteArrayOutputStream())))
                .isInstanceOf(IOException.class).hasMessageContaining("no usable node token");
    }

    @Test
    void aTokenFileReadableByOthersIsTightened() throws Exception {
        Path file = Files.writeString(dir.resolve("loose.token"), "Hc8vQ2mLx7RbN4kTyW9sJf1Pd6Ge3ZaU\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(NodeTokenFile.loadOrCreate(file, console(new ByteArrayOutputStream())))
                .isEqualTo("Hc8vQ2mLx7RbN4kTyW9sJf1Pd6Ge3ZaU");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    private static PrintStream console(ByteArrayOutputStream into) {
        return new PrintStream(into, true, StandardCharsets.UTF_8);
    }
}
