package com.streamloom.node;

import com.streamloom.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invariant: what specs may reach comes from the file's {@code specAccess} object and the environment, else defaults. */
class NodeSpecAccessTest {
    @TempDir
    Path dir;

    @Test
    void byDefaultImagesAreDataUrisOnlyAndMetadataHostsAreDenied() throws Exception {
        NodeConfig config = NodeConfig.load(null, Map.of(), 1935, 8081);
        assertThatThrownBy(() -> config.outbound().checkSpelled("source.url", "169.254.169.254"))
                .hasMessageContaining("specAccess.outboundDeny rule 169.254.0.0/16");
        assertThatCode(() -> config.outbound().checkSpelled("source.url", "127.0.0.1")).doesNotThrowAnyException();
        assertThat(config.imageAssets().maxBytes()).isEqualTo(2_000_000);
    }

    @Test
    void theEnvironmentOverridesTheFile() throws Exception {
        Path assets = Files.createDirectories(dir.resolve("assets"));
        Path f = Files.writeString(dir.resolve("edge.json"), """
                {"specAccess": {"assetsDir": "%s", "imageMaxBytes": 5000, "outboundDeny": ["10.0.0.0/8"]}}"""
                .formatted(assets));
        NodeConfig config = NodeConfig.load(f, Map.of("STREAMLOOM_IMAGE_MAX_BYTES", "7000",
                "STREAMLOOM_OUTBOUND_ALLOW", "10.0.0.0/8, cams.example.com"), 1935, 8081);
        assertThat(config.imageAssets().maxBytes()).isEqualTo(7000);
        assertThatThrownBy(() -> config.outbound().checkSpelled("f", "10.1.2.3"))
                .hasMessageContaining("specAccess.outboundDeny rule 10.0.0.0/8");
        assertThatThrownBy(() -> config.outbound().checkAddress("f", "other.example.org",
                InetAddress.getByName("192.168.1.1")))
                .hasMessageContaining("is not in specAccess.outboundAllow");
        // the file's deny list replaced the default one
        NodeConfig allowAll = NodeConfig.load(f, Map.of("STREAMLOOM_OUTBOUND_DENY", ""), 1935, 8081);
        assertThatCode(() -> allowAll.outbound().checkSpelled("f", "169.254.169.254")).doesNotThrowAnyException();
    }

    @Test
    void aBadSettingStopsTheStartNamingIt() throws Exception {
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_ASSETS_DIR",
                dir.resolve("missing").toString()), 1935, 8081))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.field()).isEqualTo("specAccess.assetsDir"));
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_OUTBOUND_DENY", "10.0.0.0/40"), 1935, 8081))
                .isInstanceOfSatisfying(SpecException.class,
                        e -> assertThat(e.field()).isEqualTo("specAccess.outboundDeny"));
        assertThatThrownBy(() -> NodeConfig.load(null, Map.of("STREAMLOOM_IMAGE_MAX_BYTES", "0"), 1935, 8081))
                .isInstanceOfSatisfying(SpecException.class,
                        e -> assertThat(e.field()).isEqualTo("specAccess.imageMaxBytes"));
    }
}
