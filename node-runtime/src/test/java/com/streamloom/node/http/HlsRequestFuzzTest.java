package com.streamloom.node.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSettings;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.testing.PacketsForTests;
import com.streamloom.media.testing.PacketsForTests.Source;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any {@code /hls/...} request (segment and part names, LL-HLS {@code _HLS_msn}, {@code _HLS_part},
 * {@code _HLS_skip}, a token, a Range header) against a live stream gets an HTTP answer (now or, for a blocking
 * reload or preload hint, later) with one of the statuses the routes document, and never an exception.
 */
class HlsRequestFuzzTest {
    private static final String STREAM = "cam-1";
    private static final Set<Integer> DOCUMENTED = Set.of(200, 206, 400, 403, 404, 416, 503);
    private static final String[] NAMES = {"index.m3u8", "0.ts", "1.ts", "0.0.ts", "1.2.ts", "2.0.ts", "3.0.ts"};
    private static final String[] PARAMETERS = {"_HLS_msn", "_HLS_part", "_HLS_skip", "token"};
    private static final HlsRoutes ROUTES;
    private static final Context CONTEXT;

    static {
        HlsStreams streams = new HlsStreams();
        HlsPackager packager = new HlsPackager(STREAM, new HlsSettings(1_000_000, 3, HlsSettings.DEFAULT_PART_MICROS,
                null), Clock.systemUTC());
        streams.register(packager);
        try {
            for (MediaPacket p : PacketsForTests.packets(Files.createTempDirectory("hls-fuzz"), "src", Source.small(2))) {
                packager.accept(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ROUTES = new HlsRoutes(streams);
        CONTEXT = Vertx.vertx().getOrCreateContext();
    }

    @FuzzTest(maxDuration = "30s")
    void everyRequestGetsADocumentedStatus(FuzzedDataProvider fuzz) {
        String name = fuzz.consumeBoolean() ? fuzz.pickValue(NAMES) : fuzz.consumeString(24);
        StringBuilder query = new StringBuilder();
        int parameters = fuzz.consumeInt(0, 4);
        for (int i = 0; i < parameters; i++) {
            String key = fuzz.consumeBoolean() ? fuzz.pickValue(PARAMETERS) : fuzz.consumeString(8);
            String value = fuzz.consumeBoolean() ? Long.toString(fuzz.consumeLong(-2, 8)) : fuzz.consumeString(24);
            query.append(i == 0 ? '?' : '&').append(key).append('=').append(value);
        }
        String range = fuzz.consumeBoolean() ? null : "bytes=" + fuzz.consumeString(24);
        String uri = "/hls/" + STREAM + "/" + name + query;
        RequestPath path;
        try {
            path = RequestPath.parse(uri);
        } catch (IllegalArgumentException refused) {
            return; // answered 400 before the HLS routes
        }
        CompletableFuture<HttpReply> reply = ROUTES.serve(path, uri, range, CONTEXT);
        if (reply.isDone()) {
            HttpReply answer = reply.join();
            assertThat(DOCUMENTED).contains(answer.status());
        }
    }
}
