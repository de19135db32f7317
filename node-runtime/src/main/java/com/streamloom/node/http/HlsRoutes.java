package com.streamloom.node.http;

import com.streamloom.media.hls.HlsPackager;
import com.streamloom.media.hls.HlsSegment;
import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.hls.PlaylistSnapshot;
import com.streamloom.media.hls.PlaylistUris;
import com.streamloom.spec.Names;
import com.streamloom.spec.PlaybackToken;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.streamloom.node.http.HttpReply.error;

/**
 * {@code GET /hls/{stream}/...}: the playlist, its segments and LL-HLS parts, from the node's {@link HlsStreams}.
 * A signed output ({@code output.playback: signed}) answers only a request whose {@code ?token=} is a valid playback
 * token for it (403 otherwise: missing, malformed, expired, another output's or under a key this node does not
 * accept), and its playlist carries that token in every URI it lists, so players need nothing special. Segments
 * and parts honour a single {@code Range} ({@link ByteRange}) and say so with {@code Accept-Ranges: bytes}.
 * Held requests (blocking reloads, preload hints) complete later on the request's Vert.x context: no thread waits.
 * Beside the playlist, {@code thumbnail.jpg} ({@link ThumbnailRoute}) is the output's latest picture, under the same
 * access rule.
 */
final class HlsRoutes {
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    static final String SEGMENT_TYPE = "video/mp2t";
    /** The query parameter that carries a playback token. */
    static final String TOKEN_PARAMETER = "token";
    private static final String PLAYLIST_NAME = "index.m3u8";
    /** Segment names the packager gives: its sequence number. */
    private static final Pattern SEGMENT_NAME = Pattern.compile("[0-9]{1,19}\\.ts");
    /** LL-HLS part names ({@code HlsPlaylistRenderer.partName}): segment sequence number and part index. */
    private static final Pattern PART_NAME = Pattern.compile("([0-9]{1,18})\\.([0-9]{1,4})\\.ts");
    /** A blocking playlist reload is answered with 503 after this many target durations (rfc8216bis 6.2.5.2). */
    private static final int BLOCKING_TIMEOUT_TARGETS = 3;
    /** A held (preload-hinted) part request is answered with 404 after this many part targets. */
    private static final int PRELOAD_TIMEOUT_PARTS = 3;
    /**
     * Segment names are never reused while a stream's packager lives, so a short shared-cache lifetime is safe and
     * lets a CDN or the browser cache absorb repeated fetches; it stays below the time a segment is held.
     */
    private static final String SEGMENT_CACHE = "public, max-age=60";
    /** A signed output's media is for the token holder: browsers may cache it, shared caches may not. */
    private static final String SIGNED_SEGMENT_CACHE = "private, max-age=60";

    private final HlsStreams streams;
    private final ThumbnailRoute thumbnails;

    HlsRoutes(HlsStreams streams) {
        this.streams = streams;
        this.thumbnails = new ThumbnailRoute(streams.thumbnails());
    }

    /**
     * The answer to {@code GET /hls/...}; done at once, or later (a held request) on {@code context}.
     *
     * @param range the request's Range header, or null
     */
    CompletableFuture<HttpReply> serve(RequestPath path, String uri, String range, Context context) {
        if (path.size() != 3 || !Names.NAME.matcher(path.get(1)).matches()) {
            return done(error(404, "not found"));
        }
        Map<String, List<String>> query;
        try {
            query = new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException e) {
            return done(error(400, "bad query string: " + e.getMessage()));
        }
        String stream = path.get(1);
        String token = first(query, TOKEN_PARAMETER);
        PlaybackToken.Verdict verdict = streams.guard().check(stream, token);
        if (verdict != PlaybackToken.Verdict.VALID) {
            return done(error(403, "stream " + stream + " plays only with a valid playback token (?token=): "
                    + verdict.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
        }
        HlsPackager packager = streams.get(stream);
        if (packager == null) {
            return done(error(404, "no stream " + stream));
        }
        // null for a public output: its URIs stay as they are
        String carried = streams.guard().requiresToken(stream) ? token : null;
        String name = path.get(2);
        if (name.equals(PLAYLIST_NAME)) {
            return playlist(packager, query, carried, context);
        }
        if (name.equals(ThumbnailRoute.NAME)) {
            return thumbnails.serve(stream, query, carried != null, context);
        }
        String cache = carried == null ? SEGMENT_CACHE : SIGNED_SEGMENT_CACHE;
        Matcher part = PART_NAME.matcher(name);
        if (part.matches()) {
            return part(packager, name, Long.parseLong(part.group(1)), Integer.parseInt(part.group(2)),
                    new Delivery(cache, range, false), context);
        }
        HlsSegment segment = SEGMENT_NAME.matcher(name).matches() ? packager.segment(name) : null;
        if (segment == null) {
            return done(error(404, "no segment " + name));
        }
        return done(new Delivery(cache, range, true).media(ByteBuffer.wrap(segment.data())));
    }

    /**
     * The playlist; with {@code _HLS_msn} (and {@code _HLS_part}) a blocking reload (draft-pantos-hls-rfc8216bis
     * 6.2.5.2): held until the playlist contains that segment (or part), 400 for one more than two segments ahead,
     * 503 if it has not appeared within three target durations. {@code _HLS_skip} is ignored (no delta updates).
     */
    private CompletableFuture<HttpReply> playlist(HlsPackager packager, Map<String, List<String>> query, String token,
                                              Context context) {
        String msnParam = first(query, "_HLS_msn");
        String partParam = first(query, "_HLS_part");
        if (msnParam == null) {
            if (partParam != null) {
                return done(error(400, "_HLS_part needs _HLS_msn"));
            }
            return done(currentPlaylist(packager, token));
        }
        if (packager.playlist() == null) {
            return done(currentPlaylist(packager, token)); // no numbering to wait on yet: 503, come back later
        }
        long msn;
        int partIndex;
        try {
            msn = Long.parseLong(msnParam);
            partIndex = partParam == null ? -1 : Integer.parseInt(partParam);
        } catch (NumberFormatException e) {
            return done(error(400, "_HLS_msn and _HLS_part must be integers"));
        }
        if (msn < 0 || (partParam != null && partIndex < 0)) {
            return done(error(400, "_HLS_msn and _HLS_part must not be negative"));
        }
        CompletableFuture<PlaylistSnapshot> awaited;
        try {
            awaited = packager.awaitPlaylist(msn, partIndex);
        } catch (IllegalArgumentException e) {
            return done(error(400, e.getMessage()));
        }
        long timeoutMicros = BLOCKING_TIMEOUT_TARGETS * packager.snapshot().targetDurationSeconds() * 1_000_000L;
        return held(awaited, timeoutMicros, context, snapshot -> currentPlaylist(packager, token),
                () -> error(503, "the playlist did not reach segment " + msn
                        + (partIndex >= 0 ? " part " + partIndex : "") + " in time"));
    }

    /** The playlist as it is now; with a token (a signed output), every URI in it carries the token. */
    private static HttpReply currentPlaylist(HlsPackager packager, String token) {
        String playlist = packager.playlist();
        if (playlist == null) {
            // A stream this node serves, between publishers or just (re)started: temporary, so 503 with a hint of
            // when to come back (players retry a 5xx; a 404 tells hls.js to give up for good).
            return error(503, "stream " + packager.stream() + " has no segment yet")
                    .withHeader("Retry-After", Integer.toString(packager.snapshot().targetDurationSeconds()));
        }
        String served = token == null ? playlist : PlaylistUris.withParameter(playlist, TOKEN_PARAMETER, token);
        return new HttpReply(200, PLAYLIST_TYPE, Buffer.buffer(served.getBytes(StandardCharsets.UTF_8)),
                Map.of(HttpHeaders.CACHE_CONTROL.toString(), HttpReply.NO_CACHE));
    }

    /**
     * An LL-HLS part: served from memory if it exists; the next part or two of the segment being written (what
     * EXT-X-PRELOAD-HINT names) are held until they are cut, up to three part targets; anything else is a 404.
     */
    private CompletableFuture<HttpReply> part(HlsPackager packager, String name, long msn, int index,
                                              Delivery delivery, Context context) {
        ByteBuffer data = packager.part(msn, index);
        if (data != null) {
            return done(delivery.media(data));
        }
        PlaylistSnapshot current = packager.snapshot();
        long next = current.nextSequence();
        boolean soon = (msn == next && index <= current.pendingParts().size() + 1) || (msn == next + 1 && index == 0);
        if (!soon || packager.playlist() == null) {
            return done(error(404, "no part " + name));
        }
        CompletableFuture<PlaylistSnapshot> awaited = packager.awaitPlaylist(msn, index);
        return held(awaited, PRELOAD_TIMEOUT_PARTS * current.partTargetMicros(), context, snapshot -> {
            ByteBuffer cut = packager.part(msn, index);
            // The segment may have ended with fewer parts than the hint expected.
            return cut != null ? delivery.media(cut) : error(404, "no part " + name + ": its segment ended before it");
        }, () -> error(404, "part " + name + " was not cut in time"));
    }

    static CompletableFuture<HttpReply> done(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    /**
     * How media (a segment or part) is answered: its cache policy and the range the request asked for. Both honour a
     * range, but only whole segments announce it ({@code Accept-Ranges}): hls.js in low-latency mode, told that parts
     * take ranges, stops loading parts as they are cut and falls whole segments behind the live edge (seen with the
     * player page's hls.js in the edge's low-latency browser test).
     */
    private record Delivery(String cache, String range, boolean announceRanges) {
        HttpReply media(ByteBuffer data) {
            int length = data.remaining();
            Map<String, String> headers = announceRanges
                    ? Map.of(HttpHeaders.CACHE_CONTROL.toString(), cache, HttpHeaders.ACCEPT_RANGES.toString(), "bytes")
                    : Map.of(HttpHeaders.CACHE_CONTROL.toString(), cache);
            ByteRange.Request requested = ByteRange.requested(range, length);
            if (requested instanceof ByteRange.Part part) {
                return new HttpReply(206, SEGMENT_TYPE,
                        bytes(data, (int) part.range().first(), (int) part.range().length()), headers)
                        .withHeader(HttpHeaders.CONTENT_RANGE.toString(), part.range().contentRange(length));
            }
            if (requested instanceof ByteRange.Unsatisfiable) {
                return error(416, "range " + range + " is outside the " + length + " bytes of this media")
                        .withHeader(HttpHeaders.CONTENT_RANGE.toString(), ByteRange.unsatisfied(length));
            }
            return new HttpReply(200, SEGMENT_TYPE, bytes(data, 0, length), headers);
        }

        /** A view of the packager's bytes, not a copy: segments and parts are immutable once cut. */
        private static Buffer bytes(ByteBuffer data, int offset, int length) {
            ByteBuffer slice = data.duplicate();
            slice.position(slice.position() + offset).limit(slice.position() + length);
            return Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(slice));
        }
    }

    /**
     * Answers when {@code awaited} completes (on the request's context, never blocking it) or, after
     * {@code timeoutMicros}, with the timeout reply; the packager's waiter is then cancelled so it is dropped.
     */
    private static CompletableFuture<HttpReply> held(CompletableFuture<PlaylistSnapshot> awaited, long timeoutMicros,
                                                     Context context, Function<PlaylistSnapshot, HttpReply> answer,
                                                     Supplier<HttpReply> onTimeout) {
        if (awaited.isDone() && !awaited.isCompletedExceptionally()) {
            return done(answer.apply(awaited.join()));
        }
        CompletableFuture<HttpReply> reply = new CompletableFuture<>();
        long timer = context.owner().setTimer(Math.max(1, TimeUnit.MICROSECONDS.toMillis(timeoutMicros)), id -> {
            if (!reply.isDone()) {
                reply.complete(onTimeout.get());
            }
            awaited.cancel(false);
        });
        // The packager completes the waiter on its own thread: hop back to the request's context to answer.
        awaited.whenComplete((snapshot, failure) -> context.runOnContext(v -> {
            context.owner().cancelTimer(timer);
            if (reply.isDone()) {
                return;
            }
            reply.complete(failure == null ? answer.apply(snapshot)
                    : error(503, "stream " + (failure instanceof CancellationException ? "wait cancelled"
                    : unwrap(failure).getMessage())));
        }));
        return reply;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
