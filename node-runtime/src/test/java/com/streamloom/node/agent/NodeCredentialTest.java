package com.streamloom.node.agent;

import com.streamloom.media.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node's credential file is readable by its owner only, is reused across restarts and is dropped when refused. */
class NodeCredentialTest {
    static final String CREDENTIAL = "sln1_Hq4-Tz8wLp2Xv6Rk9Nb3Cy7Md1Fs5Gj0Ae_Uo8iKe2r";
    static final String JOIN = "Wd6-Rk2zQp8Lx4Vm9Tb3Nc7Hj";

    @TempDir
    Path dir;

    @Test
    void theFileIsWrittenForItsOwnerOnlyAndReadBack() throws IOException {
        Path file = dir.resolve("state/node-edge-a.credential");
        NodeCredential.write(file, CREDENTIAL);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(NodeCredential.read(file)).isEqualTo(CREDENTIAL);
        // replacing keeps the mode and leaves no temporary file behind
        NodeCredential.write(file, CREDENTIAL + "x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(NodeCredential.read(file)).isEqualTo(CREDENTIAL + "x");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aRestartedNodeReusesItsCredentialWithoutEnrolling() throws Exception {
        Path file = dir.resolve("node-edge-a.credential");
        NodeCredential.write(file, CREDENTIAL);
        // Nothing listens on this port: an enrolment attempt would fail, so the answer comes from the file.
        NodeCredential restarted = new NodeCredential("http://127.0.0.1:" + Ports.free(), "edge-a", JOIN, file);
        assertThat(restarted.get()).isEqualTo(CREDENTIAL);
    }

    @Test
    void aRefusedCredentialIsForgottenAndTheNextUseEnrolsAgain() throws Exception {
        Path file = dir.resolve("node-edge-a.credential");
        NodeCredential.write(file, CREDENTIAL);
        NodeCredential credential = new NodeCredential("http://127.0.0.1:" + Ports.free(), "edge-a", JOIN, file);
        assertThat(credential.get()).isEqualTo(CREDENTIAL);
        credential.refused("some-older-credential");
        assertThat(file).exists();
        credential.refused(CREDENTIAL);
        assertThat(file).doesNotExist();
        // the control API is unreachable: no credential, and none made up
        assertThatThrownBy(credential::get).isInstanceOf(IOException.class);
        assertThat(file).doesNotExist();
    }

    @Test
    void withoutAJoinTokenANodeCannotEnrol() {
        NodeCredential credential = new NodeCredential("http://127.0.0.1:" + Ports.free(), "edge-a", null,
                dir.resolve("node-edge-a.credential"));
        assertThatThrownBy(credential::get).isInstanceOf(IOException.class).hasMessageContaining("join token");
    }
}
