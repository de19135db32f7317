/**
 * Overlays: text with placeholders, images with alpha, timed SRT/WebVTT subtitles and live
 * captions, each a {@link com.streamloom.media.pipeline.FrameStage} that draws onto the I420
 * {@link com.streamloom.media.frame.VideoFrame} in place.
 *
 * <p>How they work: text is rendered with Java2D ({@link com.streamloom.media.overlay.TextRenderer}, fonts chosen
 * per code point by {@link com.streamloom.media.overlay.FontPicker} so any script renders) only when it changes,
 * converted once into premultiplied Y/U/V/alpha planes ({@link com.streamloom.media.overlay.YuvaBitmap}, BT.601
 * limited range) and alpha-blended per frame onto just the rectangle it covers.
 *
 * <p>How to use them: {@link com.streamloom.media.overlay.Overlays#create} builds the stage for a pipeline spec's
 * overlay entry ({@code text}, {@code image}, {@code subtitles}, {@code captions} in
 * {@link com.streamloom.spec.StageCatalog}). Live captions need one
 * {@link com.streamloom.media.overlay.CaptionFeed} per stream, created with the pipeline's clock and kept across
 * spec changes; the HTTP API calls {@link com.streamloom.media.overlay.CaptionFeed#post} and the next processed
 * frame shows the line.
 */
package com.streamloom.media.overlay;
