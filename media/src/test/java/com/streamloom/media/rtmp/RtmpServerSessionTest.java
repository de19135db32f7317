package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaPacket.Codec;
import com.streamloom.media.testing.RecordingSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's command handling (RTMP spec 7.2) through the full server pipeline on an EmbeddedChannel: one test
 * per rule or bad input: names, command order, unknown commands.
 */
class RtmpServerSessionTest {
    private static final String KEY = "k3y-0f-cam1";

    private final RtmpSettings settings = RtmpSettings.defaults();
    private final RecordingSink sink = new RecordingSink();
    private final List<PublishRequest> requests = new ArrayList<>();
    private final ExclusivePublishers exclusive = new ExclusivePublishers();
    /** Accepts KEY only, one publisher at a time, like an edge's handler. */
    private final PublishHandler handler = request -> {
        requests.add(request);
        if (!request.streamKey().equals(KEY)) {
            throw new PublishRejectedException("unknown stream key");
        }
        return exclusive.claim("cam1", sink);
    };

    @Test
    void connectGetsChunkSizePeerBandwidthAndSuccess() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        peer.connect("live");
        List<Object> result = peer.lastCommand("_result");
        assertThat(result.get(1)).isEqualTo(1.0);
        assertThat(((Map<?, ?>) result.get(3)).get("code")).isEqualTo("NetConnection.Connect.Success");
        // Our decoder on the client side consumed Set Chunk Size and answered Set Peer Bandwidth.
        assertThat(((RtmpChunkDecoder) peer.clientDecoder().pipeline().first()).chunkSize()).isEqualTo(4096);
        RtmpMessage ackSize = peer.clientDecoder().readOutbound();
        assertThat(ackSize).isEqualTo(RtmpMessage.windowAckSize(2_500_000));
    }

    @Test
    void publishesLikeObsAndDeliversAacAndAvcPackets() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        int streamId = peer.publishLikeObs(KEY + "?token=abc");
        assertThat(peer.commands()).anySatisfy(c -> assertThat(c.get(0)).isEqualTo("onFCPublish"));
        assertThat(peer.lastStatus()).containsEntry("code", "NetStream.Publish.Start");
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.app()).isEqualTo("live");
            assertThat(r.streamKey()).isEqualTo(KEY);
            assertThat(r.queryParameters()).containsEntry("token", "abc");
            assertThat(r.toString()).doesNotContain(KEY);
        });
        peer.send(RtmpMessage.of(5, RtmpMessageType.DATA_AMF0, 0, streamId, Amf0Writer.encode("@setDataFrame",
                "onMetaData", new Amf0.EcmaArray(Map.of("width", 320.0, "height", 240.0)))));
        peer.send(video(streamId, 0, new byte[] {
                0x17,                            // keyframe, AVC
                0x00,                            // AVCPacketType 0: AVCDecoderConfigurationRecord
                0x00, 0x00, 0x00,                // composition time 0
                0x01, 0x64, 0x00, 0x1F}));       // start of an avcC record
        peer.send(audio(streamId, 0, new byte[] {
                (byte) 0xAF,                     // AAC, 44 kHz, 16 bit, stereo
                0x00,                            // AACPacketType 0: AudioSpecificConfig
                0x12, 0x10}));                   // AAC LC, 44.1 kHz, stereo
        peer.send(video(streamId, 40, new byte[] {
                0x17,                            // keyframe, AVC
                0x01,                            // AVCPacketType 1: NAL units
                0x00, 0x00, 0x50,                // composition time +80 ms
                0x00, 0x00, 0x00, 0x01, 0x65})); // one 1-byte IDR NAL unit
        peer.send(audio(streamId, 46, new byte[] {
                (byte) 0xAF,                     // AAC
                0x01,                            // AACPacketType 1: raw frame
                0x21, 0x22}));                   // frame bytes
        // MediaPacket is a record with an array: compare through a description that includes the bytes.
        assertThat(sink.packets()).map(RtmpServerSessionTest::describe).containsExactly(Stream.of(
                MediaPacket.videoConfig(Codec.H264, 0, new byte[] {0x01, 0x64, 0x00, 0x1F}),
                MediaPacket.audioConfig(0, new byte[] {0x12, 0x10}),
                new MediaPacket(MediaPacket.Track.VIDEO, Codec.H264, 120_000, 40_000, true, false,
                        new byte[] {0x00, 0x00, 0x00, 0x01, 0x65}),
                new MediaPacket(MediaPacket.Track.AUDIO, Codec.AAC, 46_000, 46_000, true, false,
                        new byte[] {0x21, 0x22})).map(RtmpServerSessionTest::describe).toArray(String[]::new));
        peer.command(0, "FCUnpublish", 6.0, null, KEY + "?token=abc");
        peer.command(0, "deleteStream", 7.0, null, (double) streamId);
        assertThat(sink.endReasons()).containsExactly("unpublished (FCUnpublish)");
        assertThat(exclusive.isLive("cam1")).isFalse();
        assertThat(peer.server.isOpen()).isTrue();
    }

    @Test
    void acceptsEnhancedRtmpHevc() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        int streamId = peer.publishLikeObs(KEY);
        peer.send(video(streamId, 0, new byte[] {
                (byte) 0x90,                     // IsExHeader, keyframe, PacketType 0: SequenceStart
                'h', 'v', 'c', '1',              // FourCC
                0x01, 0x02}));                   // start of an hvcC record
        peer.send(video(streamId, 33, new byte[] {
                (byte) 0x93,                     // IsExHeader, keyframe, PacketType 3: CodedFramesX (no CTO)
                'h', 'v', 'c', '1',              // FourCC
                0x00, 0x00, 0x00, 0x01, 0x26})); // one NAL unit
        assertThat(sink.packets()).extracting(MediaPacket::codec, MediaPacket::config, MediaPacket::ptsMicros)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Codec.HEVC, true, 0L),
                        org.assertj.core.groups.Tuple.tuple(Codec.HEVC, false, 33_000L));
    }

    @Test
    void refusesWrongKeyWithBadNameAndCloses() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        peer.publishLikeObs("wrong-key");
        Map<String, Object> status = peer.lastStatus();
        assertThat(status).containsEntry("level", "error").containsEntry("code", "NetStream.Publish.BadName")
                .containsEntry("description", "unknown stream key");
        assertThat(peer.server.isOpen()).isFalse();
        assertThat(sink.packets()).isEmpty();
    }

    @Test
    void refusesSecondPublisherOnALiveStream() {
        RtmpTestPeer first = RtmpTestPeer.handshaken(settings, handler);
        first.publishLikeObs(KEY);
        RtmpTestPeer second = RtmpTestPeer.handshaken(settings, handler);
        second.publishLikeObs(KEY);
        assertThat(second.lastStatus()).containsEntry("code", "NetStream.Publish.BadName")
                .containsEntry("description", "stream is already publishing");
        assertThat(second.server.isOpen()).isFalse();
        assertThat(first.server.isOpen()).isTrue();
        // Once the first publisher disconnects, the stream is free again.
        first.server.close();
        assertThat(sink.endReasons()).containsExactly("publisher disconnected");
        RtmpTestPeer third = RtmpTestPeer.handshaken(settings, handler);
        third.publishLikeObs(KEY);
        assertThat(third.lastStatus()).containsEntry("code", "NetStream.Publish.Start");
    }

    @Test
    void refusesPublishWithoutConnect() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        peer.command(1, "publish", 5.0, null, KEY, "live");
        assertThat(peer.lastStatus()).containsEntry("level", "error")
                .containsEntry("description", "publish before connect: send connect first (RTMP spec 7.2.1.1)");
        assertThat(peer.server.isOpen()).isFalse();
        assertThat(requests).isEmpty();
    }

    @Test
    void refusesPublishOnAStreamNeverCreated() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        peer.connect("live");
        peer.command(7, "publish", 5.0, null, KEY, "live");
        assertThat(peer.lastStatus()).containsEntry("code", "NetStream.Publish.Failed");
        assertThat(peer.server.isOpen()).isFalse();
    }

    @Test
    void refusesTenKilobyteStreamName() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        peer.publishLikeObs("k".repeat(10 * 1024));
        assertThat(peer.lastStatus()).containsEntry("code", "NetStream.Publish.BadName")
                .containsEntry("description", "stream name is longer than 256 characters (rtmp.max-stream-name-length)");
        assertThat(peer.server.isOpen()).isFalse();
        assertThat(requests).isEmpty();
    }

    @Test
    void refusesParentDirectoryStreamName() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        peer.publishLikeObs("../etc/passwd");
        assertThat(peer.lastStatus()).containsEntry("code", "NetStream.Publish.BadName")
                .containsEntry("description", "stream name must not contain '/', '\\' or '..'");
        assertThat(peer.server.isOpen()).isFalse();
        assertThat(requests).isEmpty();
    }

    @Test
    void refusesSlashInStreamName() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        peer.publishLikeObs("a/b");
        assertThat(peer.lastStatus()).containsEntry("code", "NetStream.Publish.BadName");
        assertThat(peer.server.isOpen()).isFalse();
    }

    @Test
    void refusesMoreStreamsThanTheLimit() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        peer.connect("live");
        for (int i = 0; i < settings.maxStreamsPerConnection(); i++) {
            peer.command(0, "createStream", 10.0 + i, null);
        }
        assertThat(peer.server.isOpen()).isTrue();
        peer.command(0, "createStream", 20.0, null);
        assertThat(peer.lastStatus().get("description").toString()).contains("rtmp.max-streams-per-connection");
        assertThat(peer.server.isOpen()).isFalse();
    }

    @Test
    void closesOnTruncatedAmfCommand() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        ByteBuf command = Unpooled.buffer()
                .writeByte(0x02).writeShort(7)                   // AMF0 string of 7 bytes
                .writeBytes("connect".getBytes())                // "connect"
                .writeByte(0x00).writeDouble(1)                  // transaction id 1
                .writeByte(0x03)                                 // object
                .writeShort(3).writeBytes("app".getBytes())      // key "app"
                .writeByte(0x02).writeShort(100);                // a 100-byte string that is not there
        byte[] payload = new byte[command.readableBytes()];
        command.readBytes(payload);
        peer.send(RtmpMessage.of(3, RtmpMessageType.COMMAND_AMF0, 0, 0, payload));
        assertThat(peer.server.isOpen()).isFalse();
    }

    @Test
    void closesOnDeeplyNestedAmfCommand() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        ByteBuf command = Unpooled.buffer()
                .writeByte(0x02).writeShort(7)                   // AMF0 string of 7 bytes
                .writeBytes("connect".getBytes())                // "connect"
                .writeByte(0x00).writeDouble(1);                 // transaction id 1
        for (int i = 0; i < 1000; i++) {
            command.writeByte(0x03)                              // object ...
                    .writeShort(1).writeByte('a');               // ... whose property "a" is an object, 1000 deep
        }
        byte[] payload = new byte[command.readableBytes()];
        command.readBytes(payload);
        peer.send(RtmpMessage.of(3, RtmpMessageType.COMMAND_AMF0, 0, 0, payload));
        assertThat(peer.server.isOpen()).isFalse();
    }

    @Test
    void unwrapsTimestampsThatWrapAround() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        int streamId = peer.publishLikeObs(KEY);
        long nearWrap = 0xFFFFFFFFL - 20;                          // 20 ms before the 32-bit wrap
        peer.send(audio(streamId, nearWrap, new byte[] {(byte) 0xAF, 0x01, 0x01}));
        peer.send(audio(streamId, nearWrap + 10, new byte[] {(byte) 0xAF, 0x01, 0x02}));
        peer.send(audio(streamId, 3, new byte[] {(byte) 0xAF, 0x01, 0x03}));   // 24 ms after the first: wrapped
        peer.send(audio(streamId, 26, new byte[] {(byte) 0xAF, 0x01, 0x04}));
        assertThat(sink.packets()).extracting(MediaPacket::dtsMicros).containsExactly(
                nearWrap * 1000, (nearWrap + 10) * 1000, (nearWrap + 24) * 1000, (nearWrap + 47) * 1000);
    }

    @Test
    void carriesExtendedTimestampsIntoPackets() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        int streamId = peer.publishLikeObs(KEY);
        peer.send(audio(streamId, 0x01000000L, new byte[] {(byte) 0xAF, 0x01, 0x01}));  // ~4.6 hours in
        assertThat(sink.packets()).singleElement()
                .satisfies(p -> assertThat(p.dtsMicros()).isEqualTo(0x01000000L * 1000));
    }

    @Test
    void politelyRefusesPlay() {
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings, handler);
        peer.connect("live");
        peer.command(0, "play", 2.0, null, KEY);
        assertThat(peer.lastStatus()).containsEntry("code", "NetStream.Play.Failed");
        assertThat(peer.server.isOpen()).isTrue();
    }

    @Test
    void endsTheSinkWhenTheConnectionGoesIdle() throws InterruptedException {
        // IdleStateHandler measures with System.nanoTime, so this test uses a short real timeout.
        RtmpTestPeer peer = RtmpTestPeer.handshaken(settings.withReadIdleTimeout(java.time.Duration.ofMillis(150)),
                handler);
        peer.publishLikeObs(KEY);
        peer.server.runScheduledPendingTasks();
        assertThat(peer.server.isOpen()).isTrue();
        Thread.sleep(300);
        peer.server.runScheduledPendingTasks();
        assertThat(peer.server.isOpen()).isFalse();
        assertThat(sink.endReasons()).containsExactly("publisher went silent");
    }

    static String describe(MediaPacket p) {
        return p + " " + java.util.HexFormat.of().formatHex(p.data());
    }

    private static RtmpMessage video(int streamId, long ts, byte[] body) {
        return RtmpMessage.of(RtmpMessage.VIDEO_CHUNK_STREAM, RtmpMessageType.VIDEO, ts, streamId, body);
    }

    private static RtmpMessage audio(int streamId, long ts, byte[] body) {
        return RtmpMessage.of(RtmpMessage.AUDIO_CHUNK_STREAM, RtmpMessageType.AUDIO, ts, streamId, body);
    }

    @Test
    void metadataCodecIdsAreLoggedByName() {
        // FFmpeg 8 and OBS 30 write the enhanced-RTMP FourCC as an AMF0 number: 'hvc1' = 1752589105
        assertThat(FlvTags.codecName(1.752589105E9, true)).isEqualTo("hvc1");
        assertThat(FlvTags.codecName(7.0, true)).isEqualTo("avc");
        assertThat(FlvTags.codecName(10.0, false)).isEqualTo("aac");
        assertThat(FlvTags.codecName(99.0, false)).isEqualTo("99");
        assertThat(FlvTags.codecName(0.5, true)).isEqualTo("0.5");
        assertThat(FlvTags.codecName("avc1", true)).isEqualTo("avc1");
        assertThat(FlvTags.codecName(null, true)).isEqualTo("null");
    }
}
