package com.streamloom.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.media.overlay.ImageAssets;
import com.streamloom.media.rtmp.RtmpSettings;
import com.streamloom.media.tls.PemTls;
import com.streamloom.node.http.HttpServerSettings;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.HostRules;
import com.streamloom.spec.SpecException;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.TokenPolicy;

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
 * @param tlsCertFile         PEM certificate chain; with {@code tlsKeyFile} the RTMP port speaks RTMPS and the HTTP
 *                            port HTTPS (both or neither; off by default)
 * @param tlsKeyFile          PEM private key of that certificate (PKCS#8, or PKCS#1 RSA)
 * @param plainRtmpPort       with TLS only: a plain RTMP listener beside RTMPS for peers inside the cluster (an edge
 *                            forwarding to a compositor dials a pod address no certificate names); advertised to the
 *                            control API instead of the RTMPS port. Off by default
 * @param plainHttpPort       likewise a plain HTTP listener beside HTTPS (the control API forwarding captions)
 * @param streams             standalone streams (edge)
 * @param compositions        standalone compositions (compositor)
 * @param corsAllowedOrigins  origins (e.g. {@code https://studio.example.com}) whose pages may call the node's write
 *                            API from a browser; none by default. Reads (HLS, status) are open to any origin.
 * @param playbackKey         standalone: the key that verifies playback tokens of signed outputs
 *                            ({@code output.playback: signed}); required when one is signed. In cluster mode the
 *                            keys come with the control API's heartbeat answer instead. A secret: random, 24
 *                            characters or more ({@code TokenPolicy})
 * @param rtmp                the RTMP server's limits ({@link RtmpLimits}); null or a limit left out: its default
 * @param specAccess          what a spec may reach on this node and from it ({@link SpecAccess}); null: the defaults
 * @param media               the media limits ({@link MediaLimits}: largest picture, HLS memory); likewise
 * @param http                the HTTP server's limits ({@link HttpLimits}); null or a limit left out: its default
 * @param maxStreams          edge: streams with a source at once (publishing or pulling); one more publisher is
 *                            refused with a status saying the edge is at capacity; null or 0: 8 per core, at least 8
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record NodeConfig(String nodeId, String bindHost, Integer rtmpPort, Integer httpPort, String advertiseHost,
                         String publicHost, String controlUrl, String nodeToken, String credentialFile,
                         Boolean openDevMode, Boolean takeoverOnRepublish, Double capacity, String tlsCertFile,
                         String tlsKeyFile, Integer plainRtmpPort, Integer plainHttpPort, List<KeyedStream> streams,
                         List<CompositionSpec> compositions, List<String> corsAllowedOrigins,
                         String playbackKey, RtmpLimits rtmp, SpecAccess specAccess, MediaLimits media,
                         HttpLimits http, Integer maxStreams) {

    /** A standalone stream and the key its publisher must present (push streams only). */
    public record KeyedStream(String key, StreamSpec spec) {
    }

    private static final ObjectMapper JSON = Json.STRICT;

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
        return new NodeConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null);
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
                or(env.apply("STREAMLOOM_TLS_CERT_FILE"), tlsCertFile),
                or(env.apply("STREAMLOOM_TLS_KEY_FILE"), tlsKeyFile),
                intOr(env.apply("STREAMLOOM_PLAIN_RTMP_PORT"), plainRtmpPort),
                intOr(env.apply("STREAMLOOM_PLAIN_HTTP_PORT"), plainHttpPort),
                streams, compositions,
                env.apply("STREAMLOOM_CORS_ALLOWED_ORIGINS") != null
                        ? List.of(env.apply("STREAMLOOM_CORS_ALLOWED_ORIGINS").split(",")) : corsAllowedOrigins,
                or(env.apply("STREAMLOOM_PLAYBACK_KEY"), playbackKey),
                RtmpLimits.withEnvironment(rtmp, env),
                SpecAccess.withEnvironment(specAccess, env),
                MediaLimits.withEnvironment(media, env),
                HttpLimits.withEnvironment(http, env),
                intOr(env.apply("STREAMLOOM_MAX_STREAMS"), maxStreams));
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
        String certFile = tlsCertFile == null || tlsCertFile.isBlank() ? null : tlsCertFile;
        String keyFile = tlsKeyFile == null || tlsKeyFile.isBlank() ? null : tlsKeyFile;
        if ((certFile == null) != (keyFile == null)) {
            throw new SpecException(certFile == null ? "tlsCertFile" : "tlsKeyFile",
                    "is required when " + (certFile == null ? "tlsKeyFile" : "tlsCertFile") + " is set");
        }
        if (certFile == null && (plainRtmpPort != null || plainHttpPort != null)) {
            throw new SpecException(plainRtmpPort != null ? "plainRtmpPort" : "plainHttpPort",
                    "is a plain listener beside TLS; without tlsCertFile the main ports are plain already");
        }
        if (nodeToken != null && !nodeToken.isBlank()) {
            // The join token (cluster) or the write API's secret (standalone): one that can be guessed opens the door.
            TokenPolicy.problem("nodeToken (STREAMLOOM_NODE_TOKEN)", nodeToken).ifPresent(problem -> {
                throw new SpecException("nodeToken", problem);
            });
        }
        rtmpSettings(); // refuses an out-of-range limit at load, naming its field
        imageAssets(); // and an assets directory that is not one
        outbound(); // and a host rule that is no CIDR block, address or name
        MediaLimits mediaLimits = media != null ? media.validated() : MediaLimits.defaults();
        if (this.http != null) {
            this.http.applyTo(HttpServerSettings.defaults(0));
        }
        if (maxStreams != null && maxStreams < 0) {
            throw new SpecException("maxStreams", "must be 0 (sized to the node) or more, got " + maxStreams);
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
                capacity != null && capacity > 0 ? capacity : com.streamloom.node.agent.ProcessLoad.defaultCapacity(),
                certFile, keyFile, plainRtmpPort, plainHttpPort, List.copyOf(ss), List.copyOf(cs),
                corsAllowedOrigins == null ? List.of()
                        : corsAllowedOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList(),
                checkedPlaybackKey(ss, cs), this.rtmp, this.specAccess, mediaLimits, this.http,
                maxStreams != null && maxStreams > 0 ? maxStreams : defaultMaxStreams());
    }

    /** This config with {@code token} as its node token (a standalone node's generated one). */
    public NodeConfig withNodeToken(String token) {
        return new NodeConfig(nodeId, bindHost, rtmpPort, httpPort, advertiseHost, publicHost, controlUrl, token,
                credentialFile, openDevMode, takeoverOnRepublish, capacity, tlsCertFile, tlsKeyFile, plainRtmpPort,
                plainHttpPort, streams, compositions, corsAllowedOrigins, playbackKey, rtmp, specAccess, media, http,
                maxStreams);
    }

    /**
     * The playback key, refused when it could be guessed; a standalone node with a signed output needs one, or
     * nobody could watch that output.
     */
    private String checkedPlaybackKey(List<KeyedStream> ss, List<CompositionSpec> cs) {
        String key = playbackKey == null || playbackKey.isBlank() ? null : playbackKey;
        if (key != null) {
            TokenPolicy.problem("playbackKey (STREAMLOOM_PLAYBACK_KEY)", key).ifPresent(problem -> {
                throw new SpecException("playbackKey", problem);
            });
        } else if (standaloneWithSignedOutput(ss, cs)) {
            throw new SpecException("playbackKey", "is required when an output has \"playback\": \"signed\" "
                    + "(a random value, e.g. openssl rand -base64 32)");
        }
        return key;
    }

    private boolean standaloneWithSignedOutput(List<KeyedStream> ss, List<CompositionSpec> cs) {
        boolean signed = ss.stream().anyMatch(k -> k.spec().output().signed())
                || cs.stream().anyMatch(c -> c.output().signed());
        return signed && (controlUrl == null || controlUrl.isBlank());
    }

    /** The RTMP server's settings: the defaults with this node's {@code rtmp} limits over them. */
    public RtmpSettings rtmpSettings() {
        return rtmp == null ? RtmpSettings.defaults() : rtmp.settings();
    }

    /** Where this node's {@code image} stages may read pictures from: data: URIs, and its assets directory if set. */
    public ImageAssets imageAssets() {
        return (specAccess == null ? SpecAccess.NONE : specAccess).imageAssets();
    }

    /** The hosts this node's pulls and forwards may connect to. */
    public HostRules outbound() {
        return (specAccess == null ? SpecAccess.NONE : specAccess).outbound();
    }

    /** The media limits, each at its default where not set. */
    public MediaLimits mediaLimits() {
        return media != null ? media.validated() : MediaLimits.defaults();
    }

    /**
     * Where the node keeps each playlist's discontinuity sequence across restarts: {@code hls-<nodeId>} beside the
     * credential file (in {@code STREAMLOOM_DATA}, else beside the config file, else in {@code ./data}). The node id
     * defaults to host and RTMP port, so a node restarted on the same ports finds its records again.
     */
    public Path hlsStateDirectory() {
        Path parent = Path.of(credentialFile).toAbsolutePath().getParent();
        return parent.resolve("hls-" + nodeId.replaceAll("[^A-Za-z0-9_.-]", "_"));
    }

    /** The HTTP server's settings: address, port, CORS origins and {@code http} limits over the defaults. */
    public HttpServerSettings httpSettings() {
        HttpServerSettings base = HttpServerSettings.defaults(httpPort).withHost(bindHost)
                .withCorsAllowedOrigins(corsAllowedOrigins);
        return http == null ? base : http.applyTo(base);
    }

    /** The default of {@code maxStreams}: 8 per core (placement's capacity limits big pictures), at least 8. */
    static int defaultMaxStreams() {
        return Math.max(8, 8 * Runtime.getRuntime().availableProcessors());
    }

    public boolean standalone() {
        return controlUrl == null;
    }

    /** The playback keys this standalone node accepts: its configured key, if any. */
    public List<String> playbackKeys() {
        return playbackKey == null ? List.of() : List.of(playbackKey);
    }

    /** Whether the listeners speak TLS (a certificate and key are configured). */
    public boolean tls() {
        return tlsCertFile != null;
    }

    /**
     * The certificate and key, read and checked now; null when TLS is off.
     *
     * @throws IllegalArgumentException naming the file that cannot be used
     */
    public PemTls loadTls() {
        return tls() ? PemTls.load(Path.of(tlsCertFile), Path.of(tlsKeyFile)) : null;
    }

    /** rtmp[s]://publicHost:port/live, what OBS calls the server. */
    public String ingestUrl() {
        return rtmpScheme() + publicHost + ":" + rtmpPort + "/live";
    }

    public String playbackUrl(String name) {
        return httpScheme() + publicHost + ":" + httpPort + "/hls/" + name + "/index.m3u8";
    }

    /**
     * Base URLs at the advertised host, for the heartbeat: the cluster's peers dial these, so they are the plain
     * ports where those are set, else rtmp[s]:// and http[s]:// on the main ports.
     */
    public String advertisedRtmpUrl() {
        return plainRtmpPort != null ? "rtmp://" + advertiseHost + ":" + plainRtmpPort
                : rtmpScheme() + advertiseHost + ":" + rtmpPort;
    }

    public String advertisedHttpUrl() {
        return plainHttpPort != null ? "http://" + advertiseHost + ":" + plainHttpPort
                : httpScheme() + advertiseHost + ":" + httpPort;
    }

    private String rtmpScheme() {
        return tls() ? "rtmps://" : "rtmp://";
    }

    private String httpScheme() {
        return tls() ? "https://" : "http://";
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
