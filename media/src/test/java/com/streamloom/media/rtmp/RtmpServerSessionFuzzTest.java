package com.streamloom.media.rtmp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.streamloom.media.packet.MediaSink;
import com.streamloom.media.testing.RecordingSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server session's command state machine (RTMP spec 7.2), fed connect, createStream, publish, play,
 * deleteStream and the rest in any order with any arguments, plus data and media messages: it fails only with
 * {@link RtmpProtocolException}, and every publish it accepted is ended exactly once, releasing its stream name.
 */
class RtmpServerSessionFuzzTest {
    private static final RtmpSettings SETTINGS = RtmpSettings.defaults();
    private static final String KEY = "cam1-key";
    private static final String[] COMMANDS = {"connect", "releaseStream", "FCPublish", "createStream", "publish",
            "FCUnpublish", "deleteStream", "closeStream", "play", "play2", "getStreamLength"};
    private static final int MAX_MESSAGES = 32;

    @FuzzTest(maxDuration = "30s")
    void everyAcceptedPublishEndsOnce(FuzzedDataProvider fuzz) {
        RecordingSink sink = new RecordingSink();
        ExclusivePublishers exclusive = new ExclusivePublishers();
        AtomicInteger accepted = new AtomicInteger();
        PublishHandler handler = request -> {
            if (!request.streamKey().equals(KEY)) {
                throw new PublishRejectedException("unknown stream key");
            }
            MediaSink claimed = exclusive.claim(KEY, sink);
            accepted.incrementAndGet();
            return claimed;
        };
        List<Throwable> unexpected = new ArrayList<>();
        RtmpServerSession session = new RtmpServerSession(SETTINGS, handler,
                new RtmpRejections(new SimpleMeterRegistry()));
        EmbeddedChannel channel = new EmbeddedChannel(new UnexpectedErrors(session, unexpected));
        int messages = fuzz.consumeInt(0, MAX_MESSAGES);
        for (int i = 0; i < messages && channel.isOpen(); i++) {
            channel.writeInbound(message(fuzz));
            Object out;
            while ((out = channel.readOutbound()) != null) {
                ReferenceCountUtil.release(out);
            }
        }
        channel.finishAndReleaseAll();
        assertThat(unexpected).isEmpty();
        assertThat(sink.endReasons()).hasSize(accepted.get());
        assertThat(exclusive.isLive(KEY)).isFalse();
    }

    private static RtmpMessage message(FuzzedDataProvider fuzz) {
        int streamId = fuzz.consumeInt(0, 3);
        return switch (fuzz.consumeInt(0, 3)) {
            case 0 -> RtmpMessage.of(RtmpMessage.STREAM_COMMAND_CHUNK_STREAM, RtmpMessageType.DATA_AMF0, 0, streamId,
                    fuzz.consumeBytes(64));
            case 1 -> RtmpMessage.of(RtmpMessage.VIDEO_CHUNK_STREAM,
                    fuzz.consumeBoolean() ? RtmpMessageType.VIDEO : RtmpMessageType.AUDIO,
                    fuzz.consumeLong(0, 0xFFFFFFFFL), streamId, fuzz.consumeBytes(64));
            case 2 -> RtmpMessage.of(RtmpMessage.COMMAND_CHUNK_STREAM,
                    fuzz.consumeBoolean() ? RtmpMessageType.COMMAND_AMF0 : RtmpMessageType.COMMAND_AMF3, 0, streamId,
                    fuzz.consumeBytes(64));
            default -> command(fuzz, streamId);
        };
    }

    /** A well-formed command with fuzzed name, transaction id and arguments. */
    private static RtmpMessage command(FuzzedDataProvider fuzz, int streamId) {
        String name = fuzz.consumeBoolean() ? fuzz.pickValue(COMMANDS) : fuzz.consumeString(16);
        double txn = fuzz.consumeBoolean() ? fuzz.consumeInt(0, 8) : fuzz.consumeRegularDouble();
        Object commandObject = fuzz.consumeBoolean() ? Map.of("app", text(fuzz, "live")) : null;
        Object argument = fuzz.consumeBoolean() ? text(fuzz, KEY) : (double) fuzz.consumeInt(-1, 4);
        return RtmpMessage.command(RtmpMessage.COMMAND_CHUNK_STREAM, streamId, name, txn, commandObject, argument);
    }

    /** Mostly a value that gets somewhere ({@code usual}, maybe with a query), sometimes any text. */
    private static String text(FuzzedDataProvider fuzz, String usual) {
        return switch (fuzz.consumeInt(0, 2)) {
            case 0 -> usual;
            case 1 -> usual + fuzz.pickValue(new String[] {"/", "?token=x", "/x", "?"});
            default -> fuzz.consumeString(40);
        };
    }

    /**
     * Hands every event to the session as its place in a pipeline would, and keeps any throwable that is not the
     * protocol's own (the session closes the connection either way, so only this tells a bug from bad input).
     */
    private static final class UnexpectedErrors extends ChannelInboundHandlerAdapter {
        private final RtmpServerSession session;
        private final List<Throwable> unexpected;

        UnexpectedErrors(RtmpServerSession session, List<Throwable> unexpected) {
            this.session = session;
            this.unexpected = unexpected;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                session.channelRead(ctx, msg);
            } catch (Throwable t) {
                exceptionCaught(ctx, t);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            session.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            session.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof RtmpProtocolException)) {
                unexpected.add(cause);
            }
            session.exceptionCaught(ctx, cause);
        }
    }
}
