package com.streamloom.media.hls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The copy of a stream's HLS output in {@link HlsSettings#directory()}, for an external web server: segment files
 * and the plain RFC 8216 playlist. That server has no parts and cannot hold a blocking reload, so the copy never
 * announces LL-HLS. Every file is written then renamed, so a reader never sees half of one.
 */
final class DiskMirror {
    private static final Logger log = LoggerFactory.getLogger(DiskMirror.class);

    private final String stream;
    private final Path directory;

    /** Creates the stream's folder under {@code root}. */
    DiskMirror(String stream, Path root) {
        this.stream = stream;
        this.directory = root.resolve(stream);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create HLS directory " + directory, e);
        }
    }

    void write(HlsSegment segment) {
        writeAtomically(directory.resolve(segment.name()), segment.data());
    }

    void writePlaylist(PlaylistSnapshot snapshot) {
        writeAtomically(directory.resolve("index.m3u8"),
                HlsPlaylistRenderer.render(snapshot).getBytes(StandardCharsets.UTF_8));
    }

    void delete(HlsSegment segment) {
        try {
            Files.deleteIfExists(directory.resolve(segment.name()));
        } catch (IOException e) {
            log.warn("HLS {}: cannot delete {}", stream, segment.name(), e);
        }
    }

    private void writeAtomically(Path target, byte[] data) {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.write(temp, data);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("HLS {}: cannot write {}", stream, target, e);
        }
    }
}
