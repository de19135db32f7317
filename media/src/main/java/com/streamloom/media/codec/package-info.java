/**
 * FFmpeg codecs called directly through the JavaCPP presets (not FFmpegFrameGrabber/Recorder), for control over
 * threading, delay and buffers: {@link com.streamloom.media.codec.VideoDecoder} (H.264/HEVC AVCC → I420
 * {@code VideoFrame}), {@link com.streamloom.media.codec.VideoEncoder} (I420 → x264 zerolatency AVCC, with a
 * {@link com.streamloom.media.codec.KeyframePolicy} for HLS segment boundaries), AAC
 * {@link com.streamloom.media.codec.AudioDecoder}/{@link com.streamloom.media.codec.AudioEncoder}/
 * {@link com.streamloom.media.codec.AudioTranscoder}, and {@link com.streamloom.media.codec.H264Bitstream}
 * (Annex B ↔ AVCC, avcC records). Each object belongs to one thread and frees its native memory in
 * {@code close()}.
 */
package com.streamloom.media.codec;
