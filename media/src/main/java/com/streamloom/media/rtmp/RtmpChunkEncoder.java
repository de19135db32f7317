package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Splits outbound {@link RtmpMessage}s into chunks (RTMP spec 5.3). Each message starts with a type 0 header and
 * continues with type 3 headers; header compression (types 1 and 2) would save a few bytes per message and is not
 * worth the state. Timestamps of 0xFFFFFF and above go into the extended timestamp field, which is repeated on
 * every type 3 chunk of the message (spec 5.3.1.3, as FFmpeg and librtmp expect).
 *
 * <p>The chunk size starts at the spec's 128 and changes right after a Set Chunk Size message is written, so the
 * peer learns the new size before the first chunk that uses it.
 */
public final class RtmpChunkEncoder extends MessageToByteEncoder<RtmpMessage> {
    private int chunkSize = RtmpChunkDecoder.DEFAULT_CHUNK_SIZE;

    public RtmpChunkEncoder() {
        super(RtmpMessage.class, false);
    }

    /** The outbound chunk size in use. */
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage msg, ByteBuf out) {
        byte[] payload = msg.payload();
        if (payload.length > RtmpSettings.MAX_PROTOCOL_MESSAGE_LENGTH) {
            throw new EncoderException("RTMP message of " + payload.length + " bytes exceeds the 24-bit length field");
        }
        long timestamp = msg.timestamp();
        boolean extended = timestamp >= RtmpChunkDecoder.EXTENDED_TIMESTAMP_MARKER;
        writeBasicHeader(out, 0, msg.chunkStreamId());
        out.writeMedium(extended ? RtmpChunkDecoder.EXTENDED_TIMESTAMP_MARKER : (int) timestamp);
        out.writeMedium(payload.length);
        out.writeByte(msg.typeId());
        out.writeIntLE(msg.messageStreamId());
        if (extended) {
            out.writeInt((int) timestamp);
        }
        int offset = 0;
        do {
            if (offset > 0) {
                writeBasicHeader(out, 3, msg.chunkStreamId());
                if (extended) {
                    out.writeInt((int) timestamp);
                }
            }
            int length = Math.min(chunkSize, payload.length - offset);
            out.writeBytes(payload, offset, length);
            offset += length;
        } while (offset < payload.length);
        if (msg.type() == RtmpMessageType.SET_CHUNK_SIZE && payload.length >= 4) {
            int size = ((payload[0] & 0x7F) << 24) | ((payload[1] & 0xFF) << 16) | ((payload[2] & 0xFF) << 8)
                    | (payload[3] & 0xFF);
            if (size == 0) {
                throw new EncoderException("refusing to send Set Chunk Size 0 (RTMP spec 5.4.1)");
            }
            chunkSize = size;
        }
    }

    /** Spec 5.3.1.1: 1, 2 or 3 bytes depending on the chunk stream id. */
    private static void writeBasicHeader(ByteBuf out, int format, int csid) {
        if (csid < 64) {
            out.writeByte((format << 6) | csid);
        } else if (csid < 320) {
            out.writeByte(format << 6);
            out.writeByte(csid - 64);
        } else {
            out.writeByte((format << 6) | 1);
            out.writeByte((csid - 64) & 0xFF);
            out.writeByte((csid - 64) >> 8);
        }
    }
}
