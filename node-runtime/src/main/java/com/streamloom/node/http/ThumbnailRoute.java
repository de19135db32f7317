package com.streamloom.node.http;

import com.streamloom.media.thumbnail.Thumbnail;
import com.streamloom.media.thumbnail.Thumbnails;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static com.streamloom.node.http.HttpReply.error;

/**
 * {@code GET /hls/{output}/thumbnail.jpg?width=320}: the output's latest picture ({@link Thumbnail}, at most one
 * keep interval old) as a JPEG {@code width} pixels wide ({@value Thumbnails#MIN_WIDTH} to
 * {@value Thumbnails#MAX_WIDTH}, default {@value Thumbnails#DEFAULT_WIDTH}), its height in the picture's aspect.
 * {@link HlsRoutes} has already applied the playlist's access rule (a signed output's token) and found the output.
 * The JPEG is encoded off the event loop, on a worker, and only when this width of this picture is not cached.
 */
final class ThumbnailRoute {
    static final String NAME = "thumbnail.jpg";
    static final String JPEG_TYPE = "image/jpeg";
    static final String WIDTH_PARAMETER = "width";
    /** Newer pictures come every keep interval (1 s by default): a second's caching saves requests, never staleness. */
    private static final String PUBLIC_CACHE = "public, max-age=1";
    /** A signed output's picture is for the token holder only, as its segments. */
    private static final String PRIVATE_CACHE = "private, max-age=1";

    private final Thumbnails thumbnails;

    ThumbnailRoute(Thumbnails thumbnails) {
        this.thumbnails = thumbnails;
    }

    /**
     * The answer for {@code output}: 400 for a bad width, 404 while it has no picture, else the JPEG.
     *
     * @param signed whether the output needs a playback token (its picture must then stay out of shared caches)
     */
    CompletableFuture<HttpReply> serve(String output, Map<String, List<String>> query, boolean signed,
                                       Context context) {
        List<String> widths = query.getOrDefault(WIDTH_PARAMETER, List.of());
        int width;
        try {
            width = width(widths);
        } catch (IllegalArgumentException e) {
            return HlsRoutes.done(error(400, e.getMessage()));
        }
        Thumbnail thumbnail = thumbnails.get(output);
        if (thumbnail == null) {
            return HlsRoutes.done(noPicture(output));
        }
        CompletableFuture<HttpReply> reply = new CompletableFuture<>();
        context.owner().executeBlocking(() -> thumbnail.jpeg(width), false).onComplete(done -> {
            if (done.failed()) {
                reply.completeExceptionally(done.cause());
            } else if (done.result() == null) {
                reply.complete(noPicture(output));
            } else {
                reply.complete(new HttpReply(200, JPEG_TYPE, Buffer.buffer(done.result()),
                        Map.of(HttpHeaders.CACHE_CONTROL.toString(), signed ? PRIVATE_CACHE : PUBLIC_CACHE)));
            }
        });
        return reply;
    }

    /** The one {@code width} parameter, or the default without one. */
    static int width(List<String> values) {
        if (values.isEmpty()) {
            return Thumbnails.DEFAULT_WIDTH;
        }
        String bounds = "width must be a whole number from " + Thumbnails.MIN_WIDTH + " to " + Thumbnails.MAX_WIDTH;
        if (values.size() > 1) {
            throw new IllegalArgumentException(bounds + ", given once");
        }
        String value = values.get(0);
        // at most 4 digits: no number parsing of an arbitrarily long string
        if (!value.matches("[0-9]{1,4}")) {
            throw new IllegalArgumentException(bounds + ", got \"" + shortened(value) + "\"");
        }
        int width = Integer.parseInt(value);
        if (width < Thumbnails.MIN_WIDTH || width > Thumbnails.MAX_WIDTH) {
            throw new IllegalArgumentException(bounds + ", got " + width);
        }
        return width;
    }

    /** While a stream waits for its publisher or its first picture: nothing to show yet. */
    private static HttpReply noPicture(String output) {
        return error(404, "stream " + output + " has no picture yet");
    }

    private static String shortened(String value) {
        return value.length() <= 16 ? value : value.substring(0, 16) + "…";
    }
}
