package com.streamloom.spec;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code source} of an {@code image} stage that can be checked without the node: a {@code data:} URI (RFC 2397)
 * must be base64 of an image in a format the node decodes, with a bounded size. A file is one of the node's assets:
 * a relative path without {@code ..}; whether it names a file there only the node can tell.
 */
public final class ImageSource {
    /** Largest decoded picture a data: URI may carry (the catalog bounds the text to 4,000,000 characters too). */
    public static final int MAX_DATA_URI_BYTES = 2_000_000;

    /** MIME types the node decodes (Java ImageIO's readers), with the bytes each format starts with. */
    private static final Map<String, byte[]> SIGNATURES = Map.of(
            "image/png", new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
            "image/jpeg", new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
            "image/gif", new byte[]{'G', 'I', 'F', '8'},
            "image/bmp", new byte[]{'B', 'M'});

    private ImageSource() {
    }

    /** Throws a {@link SpecException} naming {@code field} if {@code source} is a data: URI that is no usable image. */
    public static void check(String field, String source) {
        if (source == null || source.isBlank()) {
            throw new SpecException(field, "is required: data:image/png;base64,... or a path under the node's assets"
                    + " directory");
        }
        if (!source.regionMatches(true, 0, "data:", 0, 5)) {
            checkAssetPath(field, source);
            return;
        }
        int comma = source.indexOf(',');
        if (comma < 0) {
            throw new SpecException(field, "data: URI has no ',' before its data");
        }
        String meta = source.substring(5, comma).toLowerCase(Locale.ROOT);
        if (!meta.endsWith(";base64")) {
            throw new SpecException(field, "data: URI must be base64: data:image/png;base64,...");
        }
        String mime = meta.substring(0, meta.indexOf(';'));
        byte[] signature = SIGNATURES.get(mime);
        if (signature == null) {
            throw new SpecException(field, "data: URI must have an image type, one of "
                    + new java.util.TreeSet<>(SIGNATURES.keySet()) + "; got '" + excerpt(mime) + "'");
        }
        String data = source.substring(comma + 1).replaceAll("\\s", "");
        if ((long) data.length() / 4 * 3 > MAX_DATA_URI_BYTES) {
            throw new SpecException(field, "data: URI image is larger than " + MAX_DATA_URI_BYTES + " bytes");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new SpecException(field, "data: URI has invalid base64: " + e.getMessage());
        }
        if (!startsWith(bytes, signature)) {
            throw new SpecException(field, "data: URI says " + mime + " but its data is not a " + mime.substring(6)
                    + " image");
        }
    }

    /** A path relative to the node's assets directory that cannot climb out of it by its spelling. */
    private static void checkAssetPath(String field, String path) {
        boolean absolute = path.startsWith("/") || path.startsWith("\\")
                || (path.length() > 1 && path.charAt(1) == ':');
        boolean climbs = java.util.Arrays.asList(path.split("[/\\\\]")).contains("..");
        if (absolute || climbs || path.chars().anyMatch(c -> c < 0x20)) {
            throw new SpecException(field, "must be a data: URI or the relative path of an image under the node's"
                    + " assets directory, without '..'");
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String excerpt(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
