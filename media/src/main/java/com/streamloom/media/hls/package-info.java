/**
 * Live HLS output (RFC 8216): an MPEG-TS muxer ({@link com.streamloom.media.hls.TsMuxer}), a per-stream packager
 * ({@link com.streamloom.media.hls.HlsPackager}, a {@code MediaSink}) and the playlist renderer.
 *
 * <h2>Why MPEG-TS segments</h2>
 * TS plays everywhere HLS does (hls.js transmuxes it to fMP4 in the browser, Safari and every set-top box play it
 * natively), each segment is self-contained (PAT, PMT and a keyframe with SPS/PPS), so a segment can be served,
 * cached or probed on its own, and there is no init segment whose change (a reconnect with new parameters) must be
 * signalled. fMP4/CMAF would save about 5-10 % of bytes and is required for HEVC in Safari and for sharing segments
 * with DASH; both are reasons to add an fMP4 writer beside this one later, behind the same segment/part model.
 *
 * <h2>Low-latency HLS (draft-pantos-hls-rfc8216bis)</h2>
 * <ul>
 *   <li>A segment is a list of {@link com.streamloom.media.hls.HlsPart}s: byte ranges of whole 188-byte TS packets
 *       that start at a video frame, cut before the frame that would pass PART-TARGET (333 ms + 5 ms for the
 *       millisecond rounding of RTMP timestamps). A part starting with a keyframe is INDEPENDENT=YES and starts
 *       with PAT and PMT. LL-HLS parts are exactly these, so the segment store did not change.</li>
 *   <li>Every part publishes a new immutable {@link com.streamloom.media.hls.PlaylistSnapshot} with the parts of
 *       the segment being built and copies of their bytes, and the playlist is re-rendered by
 *       {@link com.streamloom.media.hls.HlsPlaylistRenderer#renderLowLatency}: the RFC 8216 playlist plus
 *       EXT-X-SERVER-CONTROL (CAN-BLOCK-RELOAD, PART-HOLD-BACK of three part targets), EXT-X-PART-INF, EXT-X-PART
 *       lines for the segments within three target durations of the live edge and for the pending segment, and an
 *       EXT-X-PRELOAD-HINT for the next part. Players that ignore these tags play it as before.</li>
 *   <li>{@link com.streamloom.media.hls.HlsPackager#awaitPlaylist(long, int)} is the blocking playlist reload
 *       ({@code _HLS_msn}, {@code _HLS_part}) and the wait for a preload-hinted part, as a future the HTTP layer
 *       ({@code MediaHttpServer}) completes on its event loop: parts are served at
 *       {@code /hls/<stream>/<msn>.<part>.ts}; a held playlist request ends with 503 after three target durations,
 *       a held part with 404 after three part targets; an msn more than two segments ahead is a 400.</li>
 *   <li>Not done: delta playlist updates ({@code _HLS_skip}, EXT-X-SKIP; the parameter is ignored),
 *       EXT-X-RENDITION-REPORT (one rendition per stream), byte-range parts.</li>
 * </ul>
 *
 * <h2>Latency measurement</h2>
 * The packager has no hooks for it: segments and parts are published inline in {@code accept}, so the edge
 * benchmark learns when each frame became playable by reading {@link com.streamloom.media.hls.HlsPackager#snapshot()}
 * after every call.
 */
package com.streamloom.media.hls;
