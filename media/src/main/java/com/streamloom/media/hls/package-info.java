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
 * <h2>Design for LL-HLS (the next step)</h2>
 * <ul>
 *   <li>A segment is a list of {@link com.streamloom.media.hls.HlsPart}s: byte ranges that start at a video frame,
 *       cut every ~333 ms of media. LL-HLS parts are exactly these, so the muxer and the segment store do not
 *       change.</li>
 *   <li>Every part publishes a new immutable {@link com.streamloom.media.hls.PlaylistSnapshot} that includes the
 *       parts of the segment being built; {@link com.streamloom.media.hls.HlsPackager#awaitPlaylist(long, int)} is
 *       the blocking playlist reload ({@code _HLS_msn}, {@code _HLS_part}) as a future the HTTP layer completes
 *       asynchronously.</li>
 *   <li>Left to do: render EXT-X-PART, EXT-X-PRELOAD-HINT, EXT-X-PART-INF and EXT-X-SERVER-CONTROL from the
 *       snapshot (a second renderer method), serve a pending part's bytes while its segment is still being written
 *       (the builder's buffer up to the part's end), and make parts' boundaries independent where keyframes allow.
 *       </li>
 * </ul>
 *
 * <h2>Latency measurement</h2>
 * {@link com.streamloom.media.hls.HlsPackager.Listener#onSegmentPublished} reports, for each segment, the arrival
 * time of every video frame in it and the time the playlist first listed it.
 */
package com.streamloom.media.hls;
