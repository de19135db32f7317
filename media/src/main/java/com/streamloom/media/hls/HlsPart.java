package com.streamloom.media.hls;

/**
 * A partial segment (LL-HLS "EXT-X-PART", draft-pantos-hls-rfc8216bis 4.4.4.9): a byte range of its parent segment
 * that starts at a video frame boundary, so it can be served either as {@code BYTERANGE} of the segment or as its
 * own resource without copying.
 *
 * @param index          position in the parent segment, from 0
 * @param offset         first byte in the parent segment
 * @param length         bytes
 * @param durationMicros media duration
 * @param independent    starts with a keyframe ("INDEPENDENT=YES")
 */
public record HlsPart(int index, int offset, int length, long durationMicros, boolean independent) {
}
