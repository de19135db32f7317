package com.streamloom.media.codec;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.av_log_get_level;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

/**
 * FFmpeg's log, routed to SLF4J (logger {@code ffmpeg}) instead of stderr, and readable per call: a thread that
 * {@link #capture()}s gets the warning and error lines FFmpeg logs while it runs FFmpeg calls, because libavformat
 * often returns a bare code (AVERROR_UNKNOWN, EIO) and puts the reason ("Server error: ...", "Failed to resolve
 * hostname ...: Name or service not known") only in its log. FFmpeg calls its log callback on the thread that made
 * the call, so a thread-local capture holds exactly that thread's lines.
 *
 * <p>Each line names the stream (or composition) it belongs to: FFmpeg's own prefix is a component and an address
 * ({@code [libx264 @ 0x55d0c0a1b2c0]}), which says nothing to an operator. A thread that does a stream's FFmpeg work
 * (its decode, stage and encode threads, a pull's reader, a composition's threads) is {@link #named} for it, and its
 * lines start with {@code [stream name]}. A thread rather than a map from FFmpeg context to name, because one stream
 * touches many contexts that FFmpeg makes on its own (the tcp, rtmp and tls contexts inside a pull, the parser and
 * the encoder's private class), each logged with its own address; they all run on the thread that made the call.
 *
 * <p>The level stays FFmpeg's own ({@code av_log_set_level}); libx264 and the AAC encoder log every open and close
 * at INFO, so INFO becomes WARNING unless the application chose a level itself.
 */
public final class FfmpegLog {
    private static final Logger LOG = LoggerFactory.getLogger("ffmpeg");
    private static final ThreadLocal<Capture> CURRENT = new ThreadLocal<>();
    /** The stream or composition whose FFmpeg work the thread does, or null. */
    private static final ThreadLocal<String> OWNER = new ThreadLocal<>();
    /** "[tcp @ 0x55d0c0a1b2c0] " before each line: the logging component and its address. */
    private static final Pattern PREFIX = Pattern.compile("^(\\[[^\\]]* @ 0x[0-9a-fA-F]+\\] ?)+");
    /** URLs lose their user info, path and query (an RTMP key is a path, a camera password user info). */
    private static final Pattern URL = Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*://)(?:[^@/\\s]*@)?([^/?\\s]+)\\S*");
    /** Kept reachable for as long as FFmpeg may call it. */
    private static final Callback CALLBACK = new Callback();

    static {
        if (av_log_get_level() == AV_LOG_INFO) {
            av_log_set_level(AV_LOG_WARNING);
        }
        setLogCallback(CALLBACK);
    }

    private FfmpegLog() {
    }

    /** Routes FFmpeg's log through SLF4J from now on (idempotent; {@link #capture()} does it too). */
    public static void install() {
        // The static initialiser did it.
    }

    /**
     * {@code work}, run with FFmpeg's log lines naming {@code owner} (a stream or composition name): for the body of
     * a thread that does that stream's FFmpeg work.
     */
    public static Runnable named(String owner, Runnable work) {
        return () -> {
            OWNER.set(owner);
            try {
                work.run();
            } finally {
                OWNER.remove();
            }
        };
    }

    /** A line as it goes to the log: the owner's name first, when the thread has one. */
    static String attributed(String owner, String line) {
        return owner == null ? line : "[" + owner + "] " + line;
    }

    /** Collects this thread's FFmpeg warnings and errors until the capture is closed. */
    public static Capture capture() {
        Capture capture = new Capture();
        CURRENT.set(capture);
        return capture;
    }

    /** A log line fit for a status page: no component prefix, no URL path, user info or query, one line. */
    static String clean(String line) {
        return redact(PREFIX.matcher(line.strip()).replaceFirst("")).strip();
    }

    static String redact(String line) {
        return URL.matcher(line).replaceAll("$1$2");
    }

    /** The warning and error lines of one thread's FFmpeg calls since it started or was last cleared. */
    public static final class Capture implements AutoCloseable {
        /** Lines kept per kind: the first is the root cause, later ones what the caller made of it. */
        private static final int MAX_LINES = 4;
        private final List<String> errors = new ArrayList<>(MAX_LINES);
        private final List<String> warnings = new ArrayList<>(MAX_LINES);

        private Capture() {
        }

        /**
         * The error lines in the order FFmpeg logged them (the root cause first: "Connection to tcp://host:1935
         * failed: Connection refused; Cannot open connection tcp://host:1935"), else the warning lines, else null;
         * cleaned for a status page.
         */
        public synchronized String reason() {
            List<String> lines = errors.isEmpty() ? warnings : errors;
            return lines.isEmpty() ? null : String.join("; ", lines);
        }

        /** Forgets what was captured (a new attempt starts). */
        public synchronized void clear() {
            errors.clear();
            warnings.clear();
        }

        synchronized void add(int level, String line) {
            String cleaned = clean(line);
            List<String> lines = level <= AV_LOG_ERROR ? errors : warnings;
            if (!cleaned.isEmpty() && lines.size() < MAX_LINES && !lines.contains(cleaned)) {
                lines.add(cleaned);
            }
        }

        @Override
        public void close() {
            if (CURRENT.get() == this) {
                CURRENT.remove();
            }
        }
    }

    private static final class Callback extends LogCallback {
        @Override
        public void call(int level, BytePointer msg) {
            try {
                if (level > av_log_get_level() || msg == null || msg.isNull()) {
                    return;
                }
                String raw = redact(msg.getString().stripTrailing());
                String line = attributed(OWNER.get(), raw);
                Capture capture = CURRENT.get();
                if (capture != null) {
                    // The capturing caller reports the reason itself (a pull's status and its summarised log),
                    // so a source that fails every few seconds does not fill the log with FFmpeg's lines.
                    if (level <= AV_LOG_WARNING) {
                        capture.add(level, raw); // a status reason: the stream is already known there
                    }
                    LOG.debug("{}", line);
                } else if (level <= AV_LOG_ERROR) {
                    LOG.warn("{}", line);
                } else if (level <= AV_LOG_WARNING) {
                    LOG.info("{}", line);
                } else {
                    LOG.debug("{}", line);
                }
            } catch (Throwable t) {
                // Never let an exception cross into native code.
            }
        }
    }
}
