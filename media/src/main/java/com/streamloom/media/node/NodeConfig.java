package com.streamloom.media.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.SpecException;
import com.streamloom.spec.StreamSpec;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Settings of a media node (edge or compositor), read from a JSON file and overridden by environment variables
 * ({@code STREAMLOOM_*}), so the same image runs standalone from a file or in a cluster from its environment.
 *
 * <p>Standalone mode ({@code controlUrl} empty): the node runs {@code streams} (edge) or {@code compositions}
 * (compositor) from the file; each push stream's publishers authenticate with the {@code key} given next to it.
 * Cluster mode: the node registers with the control API and runs what it is assigned.
 *
 * @param nodeId              stable id; default host name + RTMP port
 * @param bindHost            address to listen on (default 0.0.0.0)
 * @param rtmpPort            RTMP port (edge 1935, compositor 1936)
 * @param httpPort            HTTP port for HLS, player page, /metrics and the node API (edge 8081, compositor 8082)
 * @param advertiseHost       host other nodes and the control API use to reach this node (default: host name)
 * @param publicHost          host put into URLs shown to people (OBS server, playback); default advertiseHost
 * @param controlUrl          control API base URL; empty for standalone
 * @param nodeToken           the cluster's join token in cluster mode: the node enrols with it for a credential of
 *                            its own ({@code credentialFile}); required on this node's own API when set
 * @param credentialFile      where the node keeps its enrolled credential (mode 0600); default
 *                            {@code node-<nodeId>.credential} in {@code STREAMLOOM_DATA}, else beside the config
 *                            file, else in {@code ./data}
 * @param openDevMode         accept any stream key and create the stream on the fly: development only, off by default
 * @param takeoverOnRepublish a second publisher on a live key replaces the first instead of being refused
 * @param capacity            cost units per second this node can take; 0 = measure from the core count
 * @param streams             standalone streams (edge)
 * @param compositions        standalone compositions (compositor)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record NodeConfig(String nodeId, String bindHost, Integer rtmpPort, Integer httpPort, String advertiseHost,
                         String publicHost, String controlUrl, String nodeToken, String credentialFile,
                         Boolean openDevMode,
                         Boolean takeoverOnRepublish, Double capacity, List<KeyedStream> streams,
                         List<CompositionSpec> compositions) {

    /** A standalone stream and the key its publisher must present (push streams only). */
    public record KeyedStream(String key, StreamSpec spec) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** Reads the file (if any), applies environment overrides and defaults, validates every spec. */
    public static NodeConfig load(Path file, Map<String, String> env, int defaultRtmpPort, int defaultHttpPort)
            throws IOException {
        NodeConfig raw = file == null ? empty() : JSON.readValue(Files.readAllBytes(file), NodeConfig.class);
        String dataDir = env.get("STREAMLOOM_DATA");
        Path credentialDir = dataDir != null && !dataDir.isBlank() ? Path.of(dataDir)
                : file != null ? file.toAbsolutePath().getParent() : Path.of("data");
        return raw.withEnvironment(env::get).withDefaults(defaultRtmpPort, defaultHttpPort, credentialDir);
    }

    public static NodeConfig empty() {
        return new NodeConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    NodeConfig withEnvironment(Function<String, String> env) {
        return new NodeConfig(
                or(env.apply("STREAMLOOM_NODE_ID"), nodeId),
                or(env.apply("STREAMLOOM_BIND_HOST"), bindHost),
                intOr(env.apply("STREAMLOOM_RTMP_PORT"), rtmpPort),
                intOr(env.apply("STREAMLOOM_HTTP_PORT"), httpPort),
                or(env.apply("STREAMLOOM_ADVERTISE_HOST"), advertiseHost),
                or(env.apply("STREAMLOOM_PUBLIC_HOST"), publicHost),
                or(env.apply("STREAMLOOM_CONTROL_URL"), controlUrl),
                or(env.apply("STREAMLOOM_NODE_TOKEN"), nodeToken),
                or(env.apply("STREAMLOOM_CREDENTIAL_FILE"), credentialFile),
                env.apply("STREAMLOOM_OPEN_DEV_MODE") != null ? Boolean.valueOf(env.apply("STREAMLOOM_OPEN_DEV_MODE")) : openDevMode,
                takeoverOnRepublish,
                env.apply("STREAMLOOM_CAPACITY") != null ? Double.valueOf(env.apply("STREAMLOOM_CAPACITY")) : capacity,
                streams, compositions);
    }

    NodeConfig withDefaults(int defaultRtmpPort, int defaultHttpPort, Path credentialDir) {
        String host = advertiseHost != null ? advertiseHost : localHostName();
        int rtmp = rtmpPort != null ? rtmpPort : defaultRtmpPort;
        List<KeyedStream> ss = new ArrayList<>();
        for (int i = 0; streams != null && i < streams.size(); i++) {
            KeyedStream k = streams.get(i);
            StreamSpec spec;
            try {
                spec = k.spec().validated();
            } catch (SpecException e) {
                throw new SpecException("streams[" + i + "].spec." + e.field(), e.getMessage());
            }
            if (spec.source().isPull() == (k.key() != null)) {
                throw new SpecException("streams[" + i + "].key", spec.source().isPull()
                        ? "must not be set for a pull stream" : "is required for an rtmp-push stream");
            }
            if (k.key() != null && k.key().length() < 16) {
                throw new SpecException("streams[" + i + "].key", "must be at least 16 characters");
            }
            ss.add(new KeyedStream(k.key(), spec));
        }
        List<CompositionSpec> cs = new ArrayList<>();
        for (int i = 0; compositions != null && i < compositions.size(); i++) {
            try {
                cs.add(compositions.get(i).validated());
            } catch (SpecException e) {
                throw new SpecException("compositions[" + i + "]." + e.field(), e.getMessage());
            }
        }
        String id = nodeId != null ? nodeId : host + "-" + rtmp;
        return new NodeConfig(
                id,
                bindHost != null ? bindHost : "0.0.0.0",
                rtmp,
                httpPort != null ? httpPort : defaultHttpPort,
                host,
                publicHost != null ? publicHost : host,
                controlUrl == null || controlUrl.isBlank() ? null : controlUrl,
                nodeToken == null || nodeToken.isBlank() ? null : nodeToken,
                credentialFile != null && !credentialFile.isBlank() ? credentialFile
                        : credentialDir.resolve("node-" + id + ".credential").toString(),
                Boolean.TRUE.equals(openDevMode),
                Boolean.TRUE.equals(takeoverOnRepublish),
                capacity != null && capacity > 0 ? capacity : com.streamloom.media.agent.ProcessLoad.defaultCapacity(),
                List.copyOf(ss), List.copyOf(cs));
    }

    public boolean standalone() {
        return controlUrl == null;
    }

    /** rtmp://publicHost:port/live, what OBS calls the server. */
    public String ingestUrl() {
        return "rtmp://" + publicHost + ":" + rtmpPort + "/live";
    }

    public String playbackUrl(String name) {
        return "http://" + publicHost + ":" + httpPort + "/hls/" + name + "/index.m3u8";
    }

    /** rtmp:// and http:// base URLs at the advertised host, for the heartbeat. */
    public String advertisedRtmpUrl() {
        return "rtmp://" + advertiseHost + ":" + rtmpPort;
    }

    public String advertisedHttpUrl() {
        return "http://" + advertiseHost + ":" + httpPort;
    }

    private static String or(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static Integer intOr(String a, Integer b) {
        return a != null && !a.isBlank() ? Integer.valueOf(a.trim()) : b;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
