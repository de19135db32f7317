package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client end of a server connection driven in memory: a full server pipeline (handshake included) on an
 * {@link EmbeddedChannel}, our encoder to produce what a publisher sends, our decoder to read what the server sends.
 */
final class RtmpTestPeer {
    final EmbeddedChannel server;
    private final EmbeddedChannel clientEncoder = new EmbeddedChannel(new RtmpChunkEncoder());
    private final EmbeddedChannel clientDecoder;
    private final List<RtmpMessage> received = new ArrayList<>();

    private RtmpTestPeer(RtmpSettings settings, PublishHandler handler) {
        server = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                RtmpServer.configureServerPipeline(ch, settings, handler);
            }
        });
        clientDecoder = new EmbeddedChannel(new RtmpChunkDecoder(settings));
    }

    /** A peer that has completed the handshake. */
    static RtmpTestPeer handshaken(RtmpSettings settings, PublishHandler handler) {
        RtmpTestPeer peer = new RtmpTestPeer(settings, handler);
        ByteBuf c0c1 = Unpooled.buffer()
                .writeByte(3)                                   // C0: RTMP version 3
                .writeInt(0)                                    // C1: time
                .writeInt(0)                                    // C1: zero
                .writeZero(1528);                               // C1: random bytes
        peer.server.writeInbound(c0c1);
        ByteBuf s0s1s2 = peer.drainOutbound();
        if (s0s1s2.readableBytes() != 1 + 2 * 1536 || s0s1s2.getByte(0) != 3) {
            throw new AssertionError("bad S0+S1+S2 of " + s0s1s2.readableBytes() + " bytes");
        }
        s0s1s2.release();
        peer.server.writeInbound(Unpooled.buffer().writeZero(1536)); // C2: echo of S1 (not checked)
        return peer;
    }

    /** Encodes a message as a client would and delivers it to the server. */
    void send(RtmpMessage message) {
        clientEncoder.writeOutbound(message);
        ByteBuf bytes = clientEncoder.readOutbound();
        server.writeInbound(bytes);
    }

    void sendBytes(ByteBuf bytes) {
        server.writeInbound(bytes);
    }

    void command(int messageStreamId, Object... values) {
        send(RtmpMessage.command(messageStreamId == 0 ? 3 : 5, messageStreamId, values));
    }

    void connect(String app) {
        send(RtmpMessage.setChunkSize(4096));
        command(0, "connect", 1.0, Map.of("app", app, "tcUrl", "rtmp://localhost/" + app, "type", "nonprivate"));
    }

    /** connect, releaseStream, FCPublish, createStream, publish: OBS's order. Returns the message stream id. */
    int publishLikeObs(String publishName) {
        connect("live");
        command(0, "releaseStream", 2.0, null, publishName);
        command(0, "FCPublish", 3.0, null, publishName);
        command(0, "createStream", 4.0, null);
        Object id = lastCommand("_result").get(3);
        int streamId = ((Number) id).intValue();
        command(streamId, "publish", 5.0, null, publishName, "live");
        return streamId;
    }

    /** Every message the server has sent so far (protocol control is consumed by our decoder). */
    List<RtmpMessage> received() {
        ByteBuf out = drainOutbound();
        if (out.isReadable()) {
            clientDecoder.writeInbound(out);
        } else {
            out.release();
        }
        RtmpMessage m;
        while ((m = clientDecoder.readInbound()) != null) {
            received.add(m);
        }
        return received;
    }

    /** The AMF0 values of every command the server sent. */
    List<List<Object>> commands() {
        List<List<Object>> commands = new ArrayList<>();
        for (RtmpMessage m : received()) {
            if (m.type() == RtmpMessageType.COMMAND_AMF0) {
                commands.add(Amf0Reader.readAll(m.payload(), 16));
            }
        }
        return commands;
    }

    List<Object> lastCommand(String name) {
        List<List<Object>> all = commands();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).get(0).equals(name)) {
                return all.get(i);
            }
        }
        throw new AssertionError("no " + name + " among " + all);
    }

    /** The info object (code, level, description) of the last onStatus or _error. */
    @SuppressWarnings("unchecked")
    Map<String, Object> lastStatus() {
        List<List<Object>> all = commands();
        for (int i = all.size() - 1; i >= 0; i--) {
            List<Object> c = all.get(i);
            if (c.get(0).equals("onStatus") || c.get(0).equals("_error")) {
                return new LinkedHashMap<>((Map<String, Object>) c.get(3));
            }
        }
        throw new AssertionError("no status among " + all);
    }

    /** The client decoder's channel: it holds what our decoder answered (e.g. Window Ack Size). */
    EmbeddedChannel clientDecoder() {
        return clientDecoder;
    }

    private ByteBuf drainOutbound() {
        ByteBuf all = Unpooled.buffer();
        Object o;
        while ((o = server.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            all.writeBytes(b);
            b.release();
        }
        return all;
    }
}
