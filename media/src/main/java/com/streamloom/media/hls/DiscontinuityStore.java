package com.streamloom.media.hls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A node's record, on disk, of the discontinuity sequence each stream's playlist last reached, so that the packager a
 * restarted node makes for the stream continues above it (RFC 8216 6.2.2: EXT-X-DISCONTINUITY-SEQUENCE never goes
 * back) and marks its first segment with EXT-X-DISCONTINUITY.
 *
 * <p>Why a record and not the wall clock, as for media sequence numbers: the discontinuity sequence must stay a small
 * number. hls.js keeps its per-discontinuity timestamp offsets in a sparse array indexed by the discontinuity
 * sequence and walks it from index 0 on every playlist update ({@code initPTS.some(...)} in its stream controller),
 * so a wall-clock base (millions or billions) costs it millions of steps per reload and freezes the page. A record
 * grows by one per restart or publisher reconnect.
 *
 * <p>One small file per stream ({@code <stream>.discontinuity}), written atomically (a temporary file moved over it)
 * when the number changes: at a packager's start and at each new discontinuity, never per segment. A failed write is
 * logged and playback goes on; the next restart then starts from the last number written.
 */
public final class DiscontinuityStore {
    private static final Logger log = LoggerFactory.getLogger(DiscontinuityStore.class);
    /** Stream and composition names as the spec allows them; nothing else becomes a file name. */
    private static final Pattern FILE_SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final String SUFFIX = ".discontinuity";

    private final Path directory;

    /** @param directory where the records live; created on the first write */
    public DiscontinuityStore(Path directory) {
        this.directory = directory.toAbsolutePath();
    }

    public Path directory() {
        return directory;
    }

    /** The discontinuity sequence the stream's playlist last reached on this node, if one was recorded. */
    public OptionalLong last(String stream) {
        Path file = file(stream);
        if (!Files.isRegularFile(file)) {
            return OptionalLong.empty();
        }
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException("negative: " + text);
            }
            return OptionalLong.of(value);
        } catch (IOException | NumberFormatException e) {
            log.warn("HLS {}: unreadable discontinuity record {} ({}); starting the sequence afresh", stream, file,
                    e.getMessage());
            return OptionalLong.empty();
        }
    }

    /** Records the discontinuity sequence the stream's playlist has reached. */
    public void record(String stream, long discontinuitySequence) {
        Path file = file(stream);
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, stream, ".tmp");
            try {
                Files.writeString(temporary, Long.toString(discontinuitySequence), StandardCharsets.US_ASCII);
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            log.warn("HLS {}: could not record discontinuity sequence {} in {}: {}", stream, discontinuitySequence,
                    file, e.toString());
        }
    }

    private Path file(String stream) {
        if (!FILE_SAFE.matcher(stream).matches()) {
            throw new IllegalArgumentException("not a stream name: " + stream);
        }
        return directory.resolve(stream + SUFFIX);
    }
}
