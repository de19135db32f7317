package com.streamloom.media.overlay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * Where an {@code image} stage may take its picture from: a {@code data:} URI, or a regular file under the node's
 * assets directory. A spec comes from the network API, so a path is resolved inside that directory only: no absolute
 * path, no {@code ..}, no symbolic link that leads out (the real path is compared with the directory's), no device
 * or pipe. Every path that is not an allowed asset gets the same answer, whether or not a file of that name exists,
 * so the error text tells a caller nothing about the node's other files. A node without an assets directory takes
 * {@code data:} URIs only.
 */
public final class ImageAssets {
    /** The default of {@code imageMaxBytes}: a logo, not a photo library. */
    public static final long DEFAULT_MAX_BYTES = 2_000_000;

    private static final String NOT_ALLOWED = "is not an allowed asset: give a data: URI or the relative path of an"
            + " image file under the node's assets directory";
    private static final String DATA_ONLY = "is not an allowed asset: this node takes images as data: URIs only"
            + " (it has no assets directory)";

    /** The real path of the assets directory, or null for data: URIs only. */
    private final Path root;
    private final long maxBytes;

    private ImageAssets(Path root, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("imageMaxBytes must be positive, got " + maxBytes);
        }
        this.root = root;
        this.maxBytes = maxBytes;
    }

    /** data: URIs only, of at most {@link #DEFAULT_MAX_BYTES}: the safe default. */
    public static ImageAssets dataOnly() {
        return new ImageAssets(null, DEFAULT_MAX_BYTES);
    }

    /**
     * @param dir      the assets directory; null for data: URIs only
     * @param maxBytes the largest file or decoded data: URI accepted
     * @throws IllegalArgumentException if {@code dir} is not a directory (an operator's setting, so it is named)
     */
    public static ImageAssets of(Path dir, long maxBytes) {
        if (dir == null) {
            return new ImageAssets(null, maxBytes);
        }
        try {
            Path real = dir.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new IllegalArgumentException("assetsDir " + dir + " is not a directory");
            }
            return new ImageAssets(real, maxBytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("assetsDir " + dir + " cannot be used: " + e.getMessage(), e);
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The bytes {@code source} names.
     *
     * @throws IllegalArgumentException saying what is wrong with the source; for a path outside the assets, one text
     *                                  whatever the file system holds
     */
    byte[] read(String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("is empty: give a data: URI or the path of an image file");
        }
        if (source.regionMatches(true, 0, "data:", 0, 5)) {
            return dataUriBytes(source);
        }
        Path file = resolve(source);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw new IllegalArgumentException(NOT_ALLOWED, e);
        }
    }

    /** The real path of an asset, or the one refusal for everything else. */
    private Path resolve(String source) {
        if (root == null) {
            throw new IllegalArgumentException(DATA_ONLY);
        }
        Path relative;
        try {
            relative = Path.of(source);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(NOT_ALLOWED);
        }
        if (relative.isAbsolute() || relative.getRoot() != null) {
            throw new IllegalArgumentException(NOT_ALLOWED);
        }
        for (Path element : relative) {
            if (element.toString().equals("..")) {
                throw new IllegalArgumentException(NOT_ALLOWED);
            }
        }
        Path real;
        try {
            // Follows every link, so a link inside the directory that points out ends outside and is refused.
            real = root.resolve(relative).toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(NOT_ALLOWED);
        }
        if (!real.startsWith(root) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(NOT_ALLOWED);
        }
        return real;
    }

    private byte[] dataUriBytes(String uri) {
        int comma = uri.indexOf(',');
        if (comma < 0) {
            throw new IllegalArgumentException("data: URI has no ',' before its data");
        }
        String meta = uri.substring(5, comma);
        if (!meta.toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw new IllegalArgumentException("data: URI must be base64 (data:image/png;base64,...), got data:"
                    + (meta.length() > 40 ? meta.substring(0, 40) + "..." : meta));
        }
        String data = uri.substring(comma + 1).replaceAll("\\s", "");
        if ((long) data.length() / 4 * 3 > maxBytes) {
            throw tooLarge();
        }
        try {
            return Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data: URI has invalid base64: " + e.getMessage(), e);
        }
    }

    private IllegalArgumentException tooLarge() {
        return new IllegalArgumentException("image is larger than " + maxBytes + " bytes (imageMaxBytes)");
    }
}
