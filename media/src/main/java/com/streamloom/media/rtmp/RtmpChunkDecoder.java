package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the RTMP chunk stream (RTMP spec 5.3) into whole {@link RtmpMessage}s, and answers the protocol control
 * messages (spec 5.4) itself: Set Chunk Size, Abort, Acknowledgement, Window Acknowledgement Size, Set Peer
 * Bandwidth and the Ping Request user control event. Every other message, user control events included, is passed on.
 *
 * <p>Limits (from {@link RtmpSettings}): declared message length, chunk size, number of chunk streams, the bytes
 * this connection holds in unfinished messages and, on a server, the bytes all its connections hold together
 * ({@link BufferBudget}). A violation throws {@link RtmpProtocolException}, after which the decoder discards all
 * input (the connection is closed by whoever handles the exception). Partial messages grow with the data that
 * actually arrives, so a declared length costs no memory until its bytes come; their capacity is reserved from the
 * budget as it grows and released when the message completes, is aborted or abandoned, or the decoder is removed
 * (the connection closed). A message that arrives whole in one chunk is handed on at once and never held.
 *
 * <p>This decoder writes (acknowledgements, ping responses) with {@code ctx.write}, so {@link RtmpChunkEncoder} must
 * sit before it in the pipeline.
 */
public final class RtmpChunkDecoder extends ByteToMessageDecoder {
    /** Spec 5.4.1: the chunk size is 128 until the peer sets another. */
    static final int DEFAULT_CHUNK_SIZE = 128;
    /** Spec 5.3.1.3: a 24-bit timestamp field of all ones means a 32-bit extended timestamp follows. */
    static final int EXTENDED_TIMESTAMP_MARKER = 0xFFFFFF;

    private enum State { READ_CHUNK_HEADER, READ_CHUNK_PAYLOAD, DISCARD }

    /** What the spec calls the previous header of a chunk stream, plus the message being reassembled on it. */
    private static final class ChunkStream {
        final int id;
        boolean started;
        long timestamp;
        long timestampField;
        boolean extendedTimestamp;
        int messageLength;
        int typeId;
        int messageStreamId;
        byte[] partial;
        int received;
        /** Bytes of {@link #partial} reserved from the budgets. */
        int reserved;

        ChunkStream(int id) {
            this.id = id;
        }

        boolean inProgress() {
            return partial != null;
        }
    }

    private static final byte[] NO_BYTES = new byte[0];

    private final RtmpSettings settings;
    private final BufferBudget nodeBudget;
    private final Map<Integer, ChunkStream> chunkStreams = new HashMap<>();
    private State state = State.READ_CHUNK_HEADER;
    private ChunkStream current;
    /** Bytes of the current chunk's payload not read yet. */
    private int chunkLeft;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private long bytesReceived;
    /** Bytes reserved for unfinished messages over all chunk streams; at most rtmp.max-connection-buffer-bytes. */
    private long bytesBuffered;
    /** An accepted publisher: the node budget counts its messages but never refuses them. */
    private boolean publishing;
    private long bytesAcknowledged;
    private long ackWindow;
    private long windowAckSizeSent = -1;

    /** A decoder with a budget of its own (a client's connection). */
    public RtmpChunkDecoder(RtmpSettings settings) {
        this(settings, new BufferBudget(settings.maxNodeBufferBytes()));
    }

    /** A decoder of one of a server's connections, which share {@code nodeBudget}. */
    public RtmpChunkDecoder(RtmpSettings settings, BufferBudget nodeBudget) {
        this.settings = settings;
        this.nodeBudget = nodeBudget;
    }

    /** The inbound chunk size the peer has set. */
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf && state != State.DISCARD) {
            bytesReceived += buf.readableBytes();
            // Spec 5.4.3: acknowledge once we have received a window's worth of bytes since the last one.
            if (ackWindow > 0 && bytesReceived - bytesAcknowledged >= ackWindow) {
                bytesAcknowledged = bytesReceived;
                ctx.writeAndFlush(RtmpMessage.acknowledgement(bytesReceived));
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case READ_CHUNK_HEADER -> {
                    // The payload is read in the same call: an empty message must come out of a call that read
                    // bytes, or ByteToMessageDecoder reports a decoder that makes no progress.
                    if (readChunkHeader(in)) {
                        state = State.READ_CHUNK_PAYLOAD;
                        readChunkPayload(ctx, in, out);
                    }
                }
                case READ_CHUNK_PAYLOAD -> readChunkPayload(ctx, in, out);
                case DISCARD -> in.skipBytes(in.readableBytes());
            }
        } catch (RtmpProtocolException e) {
            state = State.DISCARD;
            in.skipBytes(in.readableBytes());
            releaseAll();
            chunkStreams.clear();
            throw e;
        }
    }

    /** Reads a basic header and a message header (spec 5.3.1); returns false, consuming nothing, if incomplete. */
    private boolean readChunkHeader(ByteBuf in) {
        int start = in.readerIndex();
        if (!in.isReadable()) {
            return false;
        }
        int first = in.readUnsignedByte();
        int format = first >> 6;
        int csid = first & 0x3F;
        // Spec 5.3.1.1: ids 0 and 1 announce a 2- or 3-byte basic header.
        if (csid == 0) {
            if (!in.isReadable()) {
                in.readerIndex(start);
                return false;
            }
            csid = 64 + in.readUnsignedByte();
        } else if (csid == 1) {
            if (in.readableBytes() < 2) {
                in.readerIndex(start);
                return false;
            }
            csid = 64 + in.readUnsignedByte() + (in.readUnsignedByte() << 8);
        }
        int headerSize = switch (format) {
            case 0 -> 11;
            case 1 -> 7;
            case 2 -> 3;
            default -> 0;
        };
        if (in.readableBytes() < headerSize) {
            in.readerIndex(start);
            return false;
        }
        ChunkStream cs = chunkStream(csid);
        if (!cs.started && format != 0) {
            throw new RtmpProtocolException("chunk stream " + csid + " starts with a type " + format
                    + " chunk header; its first chunk must carry a full type 0 header (RTMP spec 5.3.1.2)");
        }
        long timestampField = format == 3 ? cs.timestampField : in.readUnsignedMedium();
        int length = cs.messageLength;
        int typeId = cs.typeId;
        int streamId = cs.messageStreamId;
        if (format <= 1) {
            length = in.readUnsignedMedium();
            typeId = in.readUnsignedByte();
        }
        if (format == 0) {
            // Spec 5.3.1.2.1: the message stream id is the one little-endian field of the header.
            streamId = in.readIntLE();
        }
        boolean extended = format == 3 ? cs.extendedTimestamp : timestampField == EXTENDED_TIMESTAMP_MARKER;
        if (extended) {
            // Spec 5.3.1.3: also present on type 3 chunks when the stream's last header used it.
            if (in.readableBytes() < 4) {
                in.readerIndex(start);
                return false;
            }
            long extendedValue = in.readUnsignedInt();
            if (format != 3) {
                timestampField = extendedValue;
            }
        }
        if (format == 3 && cs.inProgress()) {
            current = cs;
            chunkLeft = Math.min(chunkSize, cs.messageLength - cs.received);
            return true;
        }
        if (length > settings.maxMessageBytes()) {
            throw new RtmpProtocolException("declared message length " + length + " on chunk stream " + csid
                    + " exceeds rtmp.max-message-bytes " + settings.maxMessageBytes());
        }
        // Spec 5.3.1.2: type 0 carries the absolute time; types 1-3 add a delta (type 3 repeats the last one).
        cs.timestamp = format == 0 ? timestampField : (cs.timestamp + timestampField) & 0xFFFFFFFFL;
        cs.timestampField = timestampField;
        cs.extendedTimestamp = extended;
        cs.messageLength = length;
        cs.typeId = typeId;
        cs.messageStreamId = streamId;
        cs.started = true;
        // A new header while a message is unfinished abandons that message, as if aborted (spec 5.4.2).
        drop(cs);
        cs.partial = NO_BYTES;
        current = cs;
        chunkLeft = Math.min(chunkSize, length);
        return true;
    }

    /**
     * Moves what has arrived of the current chunk into its message at once, rather than waiting for the whole chunk
     * in the input buffer: a peer that sets a large chunk size and sends all but the last byte of a chunk would
     * otherwise hold that much in Netty's buffer, outside any budget.
     */
    private void readChunkPayload(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ChunkStream cs = current;
        int n = Math.min(chunkLeft, in.readableBytes());
        if (n == 0 && chunkLeft > 0) {
            return;
        }
        int needed = cs.received + n;
        if (cs.partial.length < needed) {
            int capacity = (int) Math.min(cs.messageLength, Math.max(needed, 2L * cs.partial.length));
            // A message that is here whole is handed on below, never held: it costs no budget.
            if (cs.received > 0 || needed < cs.messageLength) {
                reserve(capacity - cs.partial.length);
                cs.reserved += capacity - cs.partial.length;
            }
            cs.partial = Arrays.copyOf(cs.partial, capacity);
        }
        in.readBytes(cs.partial, cs.received, n);
        cs.received += n;
        chunkLeft -= n;
        if (chunkLeft > 0) {
            return;
        }
        state = State.READ_CHUNK_HEADER;
        if (cs.received == cs.messageLength) {
            RtmpMessage message = new RtmpMessage(cs.id, cs.typeId, cs.timestamp, cs.messageStreamId, cs.partial);
            drop(cs);
            handleMessage(ctx, message, out);
        }
    }

    /**
     * Reserves {@code bytes} more for unfinished messages. Interleaved chunk streams (spec 5.3.2.2) may each hold a
     * partial message; a peer that keeps many of them open at once must not make us hold many maximum-size
     * messages, nor may many peers together fill the heap.
     */
    private void reserve(int bytes) {
        if (bytesBuffered + bytes > settings.maxConnectionBufferBytes()) {
            throw new RtmpProtocolException("unfinished messages on " + chunkStreams.size() + " chunk streams exceed "
                    + settings.maxConnectionBufferBytes() + " bytes (rtmp.max-connection-buffer-bytes)",
                    RtmpLimit.CONNECTION_BUFFER);
        }
        if (publishing) {
            nodeBudget.reserve(bytes);
        } else if (!nodeBudget.tryReserve(bytes)) {
            throw new RtmpProtocolException("the server's " + nodeBudget.max()
                    + " bytes for unfinished messages are spent (rtmp.max-node-buffer-bytes)", RtmpLimit.NODE_BUFFER);
        }
        bytesBuffered += bytes;
    }

    /** Forgets the unfinished message of {@code cs}, if any, and releases what it reserved. */
    private void drop(ChunkStream cs) {
        nodeBudget.release(cs.reserved);
        bytesBuffered -= cs.reserved;
        cs.reserved = 0;
        cs.partial = null;
        cs.received = 0;
    }

    private void releaseAll() {
        chunkStreams.values().forEach(this::drop);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseAll();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == RtmpServerSession.PUBLISH_STARTED) {
            publishing = true;
        }
        super.userEventTriggered(ctx, evt);
    }

    private void handleMessage(ChannelHandlerContext ctx, RtmpMessage message, List<Object> out) {
        RtmpMessageType type = message.type();
        if (type == null) {
            out.add(message);
            return;
        }
        byte[] p = message.payload();
        switch (type) {
            case SET_CHUNK_SIZE -> {
                long size = uint32(p, 0, "Set Chunk Size");
                // Spec 5.4.1: 31 bits, at least 1; the first bit must be zero.
                if (size == 0 || size > RtmpSettings.MAX_PROTOCOL_CHUNK_SIZE) {
                    throw new RtmpProtocolException("invalid chunk size " + size
                            + ": must be 1 to 2147483647 (RTMP spec 5.4.1)");
                }
                if (size > settings.maxChunkSize()) {
                    throw new RtmpProtocolException("chunk size " + size + " exceeds rtmp.max-chunk-size "
                            + settings.maxChunkSize());
                }
                chunkSize = (int) size;
            }
            case ABORT -> {
                ChunkStream aborted = chunkStreams.get((int) uint32(p, 0, "Abort Message"));
                if (aborted != null) {
                    drop(aborted);
                }
            }
            case ACKNOWLEDGEMENT -> uint32(p, 0, "Acknowledgement");
            case WINDOW_ACK_SIZE -> ackWindow = uint32(p, 0, "Window Acknowledgement Size");
            case SET_PEER_BANDWIDTH -> {
                long size = uint32(p, 0, "Set Peer Bandwidth");
                // Spec 5.4.5: answer with a Window Acknowledgement Size if it differs from the last one sent.
                if (size != windowAckSizeSent) {
                    windowAckSizeSent = size;
                    ctx.writeAndFlush(RtmpMessage.windowAckSize((int) size));
                }
            }
            case USER_CONTROL -> {
                if (p.length < 2) {
                    throw new RtmpProtocolException("user control message of " + p.length + " bytes has no event type");
                }
                int event = ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
                if (event == UserControlEvent.PING_REQUEST.id()) {
                    // Spec 7.1.7: answer a ping with the timestamp it carried.
                    ctx.writeAndFlush(RtmpMessage.userControl(UserControlEvent.PING_RESPONSE,
                            (int) uint32(p, 2, "Ping Request")));
                } else {
                    out.add(message);
                }
            }
            default -> out.add(message);
        }
    }

    private ChunkStream chunkStream(int csid) {
        ChunkStream cs = chunkStreams.get(csid);
        if (cs == null) {
            if (chunkStreams.size() >= settings.maxChunkStreams()) {
                throw new RtmpProtocolException("more than " + settings.maxChunkStreams()
                        + " chunk streams on one connection (rtmp.max-chunk-streams)");
            }
            cs = new ChunkStream(csid);
            chunkStreams.put(csid, cs);
        }
        return cs;
    }

    private static long uint32(byte[] p, int offset, String what) {
        if (p.length < offset + 4) {
            throw new RtmpProtocolException(what + " message is too short (" + p.length + " bytes)");
        }
        return ((p[offset] & 0xFFL) << 24) | ((p[offset + 1] & 0xFFL) << 16) | ((p[offset + 2] & 0xFFL) << 8)
                | (p[offset + 3] & 0xFFL);
    }
}
