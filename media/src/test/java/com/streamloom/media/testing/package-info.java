/**
 * The shared test kit, published in the media module's test-jar for the edge and compositor tests
 * ({@code <dependency><groupId>com.streamloom</groupId><artifactId>media</artifactId><type>test-jar</type>
 * <scope>test</scope></dependency>}, already declared in their poms).
 *
 * <ul>
 *   <li>{@link com.streamloom.media.testing.FfmpegCli}: JavaCV's own ffmpeg/ffprobe programs as child processes,
 *       with captured logs, timeouts and process-tree kill on close.</li>
 *   <li>{@link com.streamloom.media.testing.SyntheticPublisher}: an OBS stand-in that pushes real-time x264/AAC FLV
 *       over RTMP (or serves it, as an RTMP origin); solid colour or testsrc2, box and text markers, a tone, or a
 *       flash-and-beep pattern for A/V-sync tests.</li>
 *   <li>{@link com.streamloom.media.testing.RtspCamera}: a real RTSP camera (GStreamer's RTSP server) that can be
 *       stopped and started again on the same port.</li>
 *   <li>{@link com.streamloom.media.testing.HlsProbe}: a player's view of HLS: fetch and parse playlists, download
 *       segments, decode them and measure pixels (mean Y/U/V of regions) and audio (level, tone, onsets).</li>
 *   <li>{@link com.streamloom.media.testing.RecordingSink}: a MediaSink that records packets and end reasons.</li>
 *   <li>{@link com.streamloom.media.testing.Ports}: free local TCP ports.</li>
 * </ul>
 * Every child process the kit starts is also ended when the test JVM exits.
 */
package com.streamloom.media.testing;
