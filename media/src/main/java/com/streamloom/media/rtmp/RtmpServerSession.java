package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static com.streamloom.media.rtmp.RtmpStatus.status;

/**
 * The server side of an RTMP connection after the chunk layer: NetConnection and NetStream commands (RTMP spec
 * 7.2); metadata and audio/video messages go to the connection's {@link ConnectionPublications}, which turns them
 * into {@link MediaPacket}s for the sink the {@link PublishHandler} returned. One instance per connection; everything runs on the connection's event loop, which a publish
 * decision that needs I/O never blocks ({@link PublishHandler#onPublishAsync}).
 *
 * <p>Command order as OBS and FFmpeg send it: connect, releaseStream, FCPublish, createStream, publish, then
 * {@code @setDataFrame onMetaData}, media, and at the end FCUnpublish and deleteStream. Anything out of order that
 * would leave us in an undefined state (publish before connect, publish on a stream never created, a bad name) is
 * answered with an error status and the connection is closed.
 */
public final class RtmpServerSession extends SimpleChannelInboundHandler<RtmpMessage> {
    private static final Logger log = LoggerFactory.getLogger(RtmpServerSession.class);

    private static final String CONNECT_SUCCESS = "NetConnection.Connect.Success";
    private static final String CALL_FAILED = "NetConnection.Call.Failed";
    private static final String PUBLISH_START = "NetStream.Publish.Start";
    private static final String UNPUBLISH_SUCCESS = "NetStream.Unpublish.Success";

    /** User event fired through the whole pipeline once a publish is accepted. */
    public static final Object PUBLISH_STARTED = new Object() {
        @Override
        public String toString() {
            return "RTMP publish started";
        }
    };

    /**
     * User event fired through the whole pipeline when the connection's last publication ends and it stays open:
     * it must publish again within the publish timeout, as after connecting.
     */
    public static final Object PUBLISH_ENDED = new Object() {
        @Override
        public String toString() {
            return "RTMP publish ended";
        }
    };

    private final RtmpSettings settings;
    private final PublishHandler publishHandler;
    private final RtmpRejections rejections;
    private final Set<Integer> createdStreams = new HashSet<>();
    private final ConnectionPublications publications = new ConnectionPublications();
    /** Message streams whose publish waits for the handler's decision. */
    private final Set<Integer> pendingPublishes = new HashSet<>();
    private String app;
    private int nextStreamId = 1;
    private boolean closing;

    /** @param rejections counts the connections closed for breaking a server-wide limit */
    public RtmpServerSession(RtmpSettings settings, PublishHandler publishHandler, RtmpRejections rejections) {
        this.settings = settings;
        this.publishHandler = publishHandler;
        this.rejections = rejections;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage msg) {
        if (closing) {
            return;
        }
        RtmpMessageType type = msg.type();
        if (type == null) {
            return; // Spec 7.1: unknown message types are ignored.
        }
        switch (type) {
            case COMMAND_AMF0 -> onCommand(ctx, msg, Amf0Reader.readAll(msg.payload(), settings.maxAmfDepth()));
            // Spec 7.1.1: AMF3 command/data messages begin with a format byte; FMLE-style clients still send
            // AMF0 values behind it.
            case COMMAND_AMF3 -> onCommand(ctx, msg, readAmf0AfterFormatByte(msg));
            case DATA_AMF0 -> publications.data(msg.messageStreamId(),
                    Amf0Reader.readAll(msg.payload(), settings.maxAmfDepth()));
            case DATA_AMF3 -> publications.data(msg.messageStreamId(), readAmf0AfterFormatByte(msg));
            case AUDIO, VIDEO -> onMedia(ctx, msg);
            default -> log.debug("ignoring {} from {}", msg, ctx.channel().remoteAddress());
        }
    }

    private List<Object> readAmf0AfterFormatByte(RtmpMessage msg) {
        byte[] p = msg.payload();
        return Amf0Reader.readAll(p.length == 0 ? p : Arrays.copyOfRange(p, 1, p.length), settings.maxAmfDepth());
    }

    private void onCommand(ChannelHandlerContext ctx, RtmpMessage msg, List<Object> values) {
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new RtmpProtocolException("command message does not start with a command name");
        }
        double txn = values.size() > 1 && values.get(1) instanceof Number n ? n.doubleValue() : 0;
        if (name.equals("connect")) {
            onConnect(ctx, txn, values);
            return;
        }
        if (app == null) {
            closeWithError(ctx, txn, CALL_FAILED, name + " before connect: send connect first (RTMP spec 7.2.1.1)");
            return;
        }
        switch (name) {
            case "releaseStream" -> reply(ctx, "_result", txn, null, Amf0.UNDEFINED);
            case "FCPublish" -> {
                reply(ctx, "_result", txn, null, Amf0.UNDEFINED);
                // OBS waits for onFCPublish (the Flash Media Live Encoder convention) before it goes on.
                reply(ctx, "onFCPublish", 0, null, status("status", PUBLISH_START, "FCPublish accepted"));
            }
            case "createStream" -> onCreateStream(ctx, txn);
            case "publish" -> onPublish(ctx, msg.messageStreamId(), values);
            case "FCUnpublish" -> {
                String key = values.size() > 3 && values.get(3) instanceof String s
                        ? PublishRequest.of(app, s, null).streamKey() : null;
                if (key != null && publications.endKey(key, "unpublished (FCUnpublish)")) {
                    publishEnded(ctx);
                }
                reply(ctx, "_result", txn, null, Amf0.UNDEFINED);
            }
            case "deleteStream" -> {
                if (values.size() > 3 && values.get(3) instanceof Number id) {
                    endPublication(ctx, id.intValue(), "unpublished (deleteStream)");
                    createdStreams.remove(id.intValue());
                }
            }
            case "closeStream" -> endPublication(ctx, msg.messageStreamId(), "unpublished (closeStream)");
            case "play", "play2", "getStreamLength" -> reply(ctx, "_error", txn, null, status("error",
                    "NetStream.Play.Failed", "this server accepts publishing only; watch the stream over HLS"));
            default -> {
                if (txn != 0) {
                    reply(ctx, "_error", txn, null, status("error", CALL_FAILED, "unknown command " + name));
                }
            }
        }
    }

    private void onConnect(ChannelHandlerContext ctx, double txn, List<Object> values) {
        if (app != null) {
            closeWithError(ctx, txn, CALL_FAILED, "connect sent twice on one connection");
            return;
        }
        Object appValue = values.size() > 2 && values.get(2) instanceof Map<?, ?> cmd ? cmd.get("app") : null;
        String requested = appValue instanceof String s ? s : "";
        int q = requested.indexOf('?');
        String appName = (q < 0 ? requested : requested.substring(0, q));
        while (appName.endsWith("/")) {
            appName = appName.substring(0, appName.length() - 1);
        }
        String problem = PublishRequest.nameProblem(appName, "application name");
        if (problem != null) {
            closeWithError(ctx, txn, "NetConnection.Connect.Rejected", problem);
            return;
        }
        app = appName;
        // Spec 7.2.1.1: window size, peer bandwidth and our chunk size, then the _result.
        ctx.write(RtmpMessage.windowAckSize(settings.windowAckSize()));
        ctx.write(RtmpMessage.setPeerBandwidth(settings.windowAckSize(), 2));
        ctx.write(RtmpMessage.setChunkSize(settings.outboundChunkSize()));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,0,1,123");
        properties.put("capabilities", 31.0);
        Map<String, Object> info = status("status", CONNECT_SUCCESS, "Connection succeeded.");
        info.put("objectEncoding", 0.0);
        reply(ctx, "_result", txn, properties, info);
    }

    private void onCreateStream(ChannelHandlerContext ctx, double txn) {
        if (createdStreams.size() >= settings.maxStreamsPerConnection()) {
            closeWithError(ctx, txn, CALL_FAILED, "more than " + settings.maxStreamsPerConnection()
                    + " streams on one connection (rtmp.max-streams-per-connection)");
            return;
        }
        int id = nextStreamId++;
        createdStreams.add(id);
        reply(ctx, "_result", txn, null, (double) id);
    }

    private void onPublish(ChannelHandlerContext ctx, int streamId, List<Object> values) {
        if (!createdStreams.contains(streamId)) {
            closeWithStatus(ctx, streamId, "NetStream.Publish.Failed",
                    "publish on stream " + streamId + ", which was not created with createStream");
            return;
        }
        if (publications.has(streamId) || pendingPublishes.contains(streamId)) {
            closeWithStatus(ctx, streamId, "NetStream.Publish.Failed", "stream " + streamId + " is already publishing");
            return;
        }
        String publishName = values.size() > 3 && values.get(3) instanceof String s ? s : "";
        PublishRequest request = PublishRequest.of(app, publishName, ctx.channel().remoteAddress());
        String problem = publishName.length() > settings.maxStreamNameLength()
                ? "stream name is longer than " + settings.maxStreamNameLength()
                        + " characters (rtmp.max-stream-name-length)"
                : PublishRequest.nameProblem(request.streamKey(), "stream name");
        if (problem != null) {
            closeWithStatus(ctx, streamId, PublishRejectedException.BAD_NAME, problem);
            return;
        }
        CompletableFuture<MediaSink> decision;
        try {
            decision = publishHandler.onPublishAsync(request).toCompletableFuture();
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        if (decision.isDone()) {
            publishDecided(ctx, streamId, request, decision);
            return;
        }
        // The decision needs I/O (a key check against the control API): wait for it without blocking this event
        // loop, which serves other connections, and read nothing more from this one until it arrives, so no
        // command or media can overtake the answer.
        pendingPublishes.add(streamId);
        ctx.channel().config().setAutoRead(false);
        CompletableFuture<MediaSink> pending = decision;
        decision.whenCompleteAsync((sink, failure) -> publishDecided(ctx, streamId, request, pending),
                ctx.executor());
    }

    private void publishDecided(ChannelHandlerContext ctx, int streamId, PublishRequest request,
                                CompletableFuture<MediaSink> decision) {
        boolean waited = pendingPublishes.remove(streamId);
        MediaSink sink;
        try {
            sink = decision.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof PublishRejectedException rejected) {
                log.info("publish refused: {}: {}", request, rejected.getMessage());
                closeWithStatus(ctx, streamId, rejected.statusCode(), rejected.getMessage());
            } else {
                log.error("publish handler failed for {}", request, cause);
                closeWithStatus(ctx, streamId, PublishRejectedException.FAILED, "internal error, try again later");
            }
            return;
        }
        if (closing || !ctx.channel().isActive()) {
            // The publisher left (or the connection failed) while its key was being checked.
            try {
                sink.end("publisher left before the publish was accepted");
            } catch (RuntimeException e) {
                log.error("sink of {} failed to end", request, e);
            }
            return;
        }
        if (waited) {
            ctx.channel().config().setAutoRead(true);
        }
        publications.start(streamId, request, sink);
        log.info("publish accepted: {}", request);
        ctx.pipeline().fireUserEventTriggered(PUBLISH_STARTED);
        ctx.write(RtmpMessage.userControl(UserControlEvent.STREAM_BEGIN, streamId));
        ctx.writeAndFlush(RtmpMessage.command(RtmpMessage.STREAM_COMMAND_CHUNK_STREAM, streamId, "onStatus", 0.0,
                null, status("status", PUBLISH_START, "publishing")));
    }

    private void onMedia(ChannelHandlerContext ctx, RtmpMessage msg) {
        try {
            publications.media(msg);
        } catch (PublicationClosedException e) {
            closeWithStatus(ctx, msg.messageStreamId(), PublishRejectedException.BAD_NAME, e.getMessage());
        }
    }

    private void endPublication(ChannelHandlerContext ctx, int streamId, String reason) {
        if (publications.end(streamId, reason)) {
            ctx.writeAndFlush(RtmpMessage.command(RtmpMessage.STREAM_COMMAND_CHUNK_STREAM, streamId, "onStatus", 0.0,
                    null, status("status", UNPUBLISH_SUCCESS, "unpublished")));
            publishEnded(ctx);
        }
    }

    /** A publication ended by the client's own command; with none left, the publish deadline starts again. */
    private void publishEnded(ChannelHandlerContext ctx) {
        if (publications.isEmpty() && pendingPublishes.isEmpty()) {
            ctx.pipeline().fireUserEventTriggered(PUBLISH_ENDED);
        }
    }

    private void reply(ChannelHandlerContext ctx, String name, double txn, Object commandObject, Object info) {
        ctx.writeAndFlush(RtmpMessage.command(RtmpMessage.COMMAND_CHUNK_STREAM, 0, name, txn, commandObject, info));
    }

    private void closeWithError(ChannelHandlerContext ctx, double txn, String code, String description) {
        log.info("closing RTMP connection from {}: {}", ctx.channel().remoteAddress(), description);
        closing = true;
        publications.endAll(description);
        ctx.writeAndFlush(RtmpMessage.command(RtmpMessage.COMMAND_CHUNK_STREAM, 0, "_error", txn, null,
                status("error", code, description))).addListener(ChannelFutureListener.CLOSE);
    }

    private void closeWithStatus(ChannelHandlerContext ctx, int streamId, String code, String description) {
        log.info("closing RTMP connection from {}: {}", ctx.channel().remoteAddress(), description);
        closing = true;
        publications.endAll(description);
        ctx.writeAndFlush(RtmpMessage.command(RtmpMessage.STREAM_COMMAND_CHUNK_STREAM, streamId, "onStatus", 0.0,
                null, status("error", code, description))).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            log.info("closing RTMP connection from {}: nothing received for {} ms (rtmp.read-idle-timeout)",
                    ctx.channel().remoteAddress(), settings.readIdleTimeout().toMillis());
            publications.endAll("publisher went silent");
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        publications.endAll("publisher disconnected");
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof RtmpProtocolException e && e.limit() != null
                && rejections.reject(ctx.channel(), e.limit(), e.getMessage())) {
            closing = true;
            publications.endAll(e.getMessage());
            ctx.writeAndFlush(RtmpStatus.connectionClosed(e.getMessage())).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (cause instanceof RtmpProtocolException) {
            log.info("closing RTMP connection from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            log.warn("closing RTMP connection from {} after an error", ctx.channel().remoteAddress(), cause);
        }
        closing = true;
        publications.endAll("protocol error: " + cause.getMessage());
        ctx.close();
    }
}
