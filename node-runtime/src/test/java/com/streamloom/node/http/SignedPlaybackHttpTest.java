package com.streamloom.node.http;

import com.streamloom.media.testing.SettableClock;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import com.streamloom.spec.PlaybackToken;
import com.streamloom.spec.PlaybackToken.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signed output answers its playlist, parts and segments only with a valid playback token for it (403 otherwise),
 * and every URI of the playlist it serves carries that token; a public output is served as before.
 */
class SignedPlaybackHttpTest {
    static final String KEY = "Rk8mZq2VxL5wT9cN3bHj7YdF4sGp6Ae1";
    static final String NEXT_KEY = "wE3rT7yU1iO9pA5sD2fG8hJ4kL6zX0cV";
    /** The guard's "now": tokens expire against it, the packager runs on the real clock. */
    static final long NOW = 1_900_000_000L;
    static final Pattern URI_LINE = Pattern.compile("(?m)^([^#\\s][^\\n]*)$");
    static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]+)\"");
    @TempDir
    static Path dir;
    static final SettableClock guardClock = new SettableClock(Instant.ofEpochSecond(NOW));
    static final HlsStreams streams = new HlsStreams(Kind.STREAM, guardClock, null);
    static MediaHttpServer server;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        List<MediaPacket> packets = PacketsForTests.packets(dir, "signed", Source.small(4));
        for (String name : List.of("vault", "other", "lobby")) {
            streams.guard().require(name, !name.equals("lobby"));
            HlsPackager packager = new HlsPackager(name, new HlsSettings(1_000_000, 6,
                    HlsSettings.DEFAULT_PART_MICROS, null), Clock.systemUTC());
            streams.register(packager);
            // three whole segments and the parts of the fourth
            packets.stream().filter(p -> p.config() || p.dtsMicros() < 3_500_000).forEach(packager::accept);
        }
        streams.guard().acceptKeys(List.of(KEY));
        server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1"), streams, null).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String token(String key, String name, long expiry) {
        return PlaybackToken.sign(key, Kind.STREAM, name, expiry);
    }

    @Test
    void withoutAValidTokenNothingOfASignedStreamIsServed() throws Exception {
        String good = token(KEY, "vault", NOW + 600);
        for (String file : List.of("index.m3u8", "index.m3u8?_HLS_msn=1&_HLS_part=0", "1.ts", "3.0.ts")) {
            String path = "/hls/vault/" + file;
            String join = file.contains("?") ? "&" : "?";
            assertThat(status(path)).as("no token: " + path).isEqualTo(403);
            assertThat(status(path + join + "token=")).as("empty token: " + path).isEqualTo(403);
            assertThat(status(path + join + "token=" + token(KEY, "vault", NOW - 1))).as("expired: " + path)
                    .isEqualTo(403);
            assertThat(status(path + join + "token=" + token(KEY, "other", NOW + 600))).as("other stream's: " + path)
                    .isEqualTo(403);
            assertThat(status(path + join + "token=" + token(NEXT_KEY, "vault", NOW + 600))).as("unknown key: " + path)
                    .isEqualTo(403);
            assertThat(status(path + join + "token=" + good.replace('.', '-'))).as("malformed: " + path)
                    .isEqualTo(403);
            assertThat(status(path + join + "token=" + good)).as("valid: " + path).isEqualTo(200);
        }
        HttpResponse<String> refused = get("/hls/vault/index.m3u8");
        assertThat(refused.body()).contains("playback token").doesNotContain(KEY);
        assertThat(refused.headers().firstValue("access-control-allow-origin")).hasValue("*");
        // the token's expiry is checked at every request: the same token is refused once it has run out
        guardClock.set(Instant.ofEpochSecond(NOW + 600));
        try {
            assertThat(status("/hls/vault/1.ts?token=" + good)).isEqualTo(403);
        } finally {
            guardClock.set(Instant.ofEpochSecond(NOW));
        }
    }

    @Test
    void theServedPlaylistCarriesTheTokenInEveryUriAndEachOfThemIsServed() throws Exception {
        String good = token(KEY, "vault", NOW + 600);
        HttpResponse<String> playlist = get("/hls/vault/index.m3u8?token=" + good);
        assertThat(playlist.statusCode()).isEqualTo(200);
        List<String> uris = uris(playlist.body());
        assertThat(playlist.body()).contains("#EXT-X-PART:", "#EXT-X-PRELOAD-HINT:");
        assertThat(uris).hasSizeGreaterThan(6).allSatisfy(uri -> assertThat(uri).endsWith("?token=" + good));
        for (String uri : uris) {
            if (playlist.body().contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"" + uri)) {
                continue; // not cut yet: the node would hold the request until it is
            }
            HttpResponse<String> media = get("/hls/vault/" + uri);
            assertThat(media.statusCode()).as(uri).isEqualTo(200);
            assertThat(media.headers().firstValue("cache-control").orElseThrow()).as(uri).startsWith("private");
        }
        // a blocking reload keeps the token on the URIs it answers with
        HttpResponse<String> reload = get("/hls/vault/index.m3u8?token=" + good + "&_HLS_msn=1");
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(uris(reload.body())).allSatisfy(uri -> assertThat(uri).endsWith("?token=" + good));
    }

    @Test
    void duringAKeyRotationTokensOfBothKeysPlayAndAfterItOnlyTheNewOnes() throws Exception {
        String before = token(KEY, "vault", NOW + 600);
        String after = token(NEXT_KEY, "vault", NOW + 600);
        try {
            streams.guard().acceptKeys(List.of(NEXT_KEY, KEY));
            assertThat(status("/hls/vault/index.m3u8?token=" + before)).isEqualTo(200);
            assertThat(status("/hls/vault/index.m3u8?token=" + after)).isEqualTo(200);
            streams.guard().acceptKeys(List.of(NEXT_KEY));
            assertThat(status("/hls/vault/index.m3u8?token=" + before)).isEqualTo(403);
            assertThat(status("/hls/vault/index.m3u8?token=" + after)).isEqualTo(200);
            // a node that has no key opens signed outputs to nobody
            streams.guard().acceptKeys(List.of());
            assertThat(status("/hls/vault/index.m3u8?token=" + after)).isEqualTo(403);
        } finally {
            streams.guard().acceptKeys(List.of(KEY));
        }
    }

    @Test
    void aPublicStreamNeedsNoTokenAndItsPlaylistIsUnchanged() throws Exception {
        HttpResponse<String> playlist = get("/hls/lobby/index.m3u8");
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.body()).isEqualTo(streams.get("lobby").playlist()).doesNotContain("token=");
        assertThat(get("/hls/lobby/1.ts").headers().firstValue("cache-control").orElseThrow()).startsWith("public");
    }

    @Test
    void aStreamThatBecomesPublicOpensAndOneThatBecomesSignedCloses() throws Exception {
        try {
            streams.guard().require("other", false);
            assertThat(status("/hls/other/index.m3u8")).isEqualTo(200);
            streams.guard().require("lobby", true);
            assertThat(status("/hls/lobby/index.m3u8")).isEqualTo(403);
        } finally {
            streams.guard().require("other", true);
            streams.guard().require("lobby", false);
        }
    }

    static List<String> uris(String playlist) {
        List<String> out = new ArrayList<>();
        Matcher lines = URI_LINE.matcher(playlist);
        while (lines.find()) {
            out.add(lines.group(1));
        }
        Matcher attributes = URI_ATTRIBUTE.matcher(playlist);
        while (attributes.find()) {
            out.add(attributes.group(1));
        }
        return out;
    }

    static int status(String path) throws Exception {
        return get(path).statusCode();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
