package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A misbehaving RTMP client on a plain socket, for the server's limits: it writes exactly the bytes a test wants
 * (half a message, pings it never reads the answers to) and tells whether the server closed it.
 */
public final class RawRtmpSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RawRtmpSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    public static RawRtmpSocket connect(int port) throws IOException {
        return connect("127.0.0.1", port, 0);
    }

    /**
     * @param localAddress   the client's own loopback address (127.0.0.2 is another remote address to the server)
     * @param receiveBuffer  the socket's receive buffer in bytes, 0 for the system's
     */
    public static RawRtmpSocket connect(String localAddress, int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connect, so the TCP window stays this small
        }
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        return new RawRtmpSocket(socket);
    }

    /** Completes the handshake (RTMP spec 5.2) and reads S0+S1+S2. */
    public RawRtmpSocket handshake() throws IOException {
        byte[] c0c1 = new byte[1 + 1536];
        c0c1[0] = 3;                                     // C0: version 3; C1: time, zero, random all zero
        out.write(c0c1);
        in.readNBytes(1 + 2 * 1536);                     // S0+S1+S2
        out.write(new byte[1536]);                       // C2
        out.flush();
        return this;
    }

    /** Sends exactly these bytes (a handshake cut short, say). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** connect to application "live", as a publisher's first command. */
    public RawRtmpSocket connectCommand() throws IOException {
        send(RtmpMessage.command(3, 0, "connect", 1.0, Map.of("app", "live", "type", "nonprivate")));
        return this;
    }

    /** createStream (message stream 1, the first the server hands out) and publish {@code key} on it. */
    RawRtmpSocket publishCommand(String key) throws IOException {
        send(RtmpMessage.command(3, 0, "createStream", 2.0, null));
        send(RtmpMessage.command(RtmpMessage.STREAM_COMMAND_CHUNK_STREAM, 1, "publish", 0.0, null, key, "live"));
        return this;
    }

    /** deleteStream of message stream 1: the publisher stops publishing but keeps the connection. */
    RawRtmpSocket deleteStreamCommand() throws IOException {
        send(RtmpMessage.command(3, 0, "deleteStream", 0.0, null, 1.0));
        return this;
    }

    public void send(RtmpMessage message) throws IOException {
        EmbeddedChannel encoder = new EmbeddedChannel(new RtmpChunkEncoder());
        encoder.writeOutbound(message);
        ByteBuf bytes = encoder.readOutbound();
        byte[] raw = new byte[bytes.readableBytes()];
        bytes.readBytes(raw);
        bytes.release();
        out.write(raw);
        out.flush();
    }

    /** Sends {@code count} Ping Requests (RTMP spec 7.1.7) in one write; the server answers each. */
    public void sendPings(int count) throws IOException {
        EmbeddedChannel encoder = new EmbeddedChannel(new RtmpChunkEncoder());
        encoder.writeOutbound(RtmpMessage.userControl(UserControlEvent.PING_REQUEST, 7));
        ByteBuf ping = encoder.readOutbound();
        ByteBuf pings = Unpooled.buffer(ping.readableBytes() * count);
        for (int i = 0; i < count; i++) {
            pings.writeBytes(ping, ping.readerIndex(), ping.readableBytes());
        }
        ping.release();
        out.write(pings.array(), pings.arrayOffset(), pings.readableBytes());
        out.flush();
    }

    /**
     * Starts a video message of {@code length} bytes on chunk stream {@code csid} and sends only its first
     * {@code sent} bytes, in the default 128-byte chunks (RTMP spec 5.3.1), so the server holds it unfinished.
     */
    public void sendPartialMessage(int csid, int length, int sent) throws IOException {
        sendRaw(partialMessage(csid, length, sent, 128));
    }

    /**
     * The bytes of such an unfinished message in chunks of {@code chunkSize} (the default 128, or what a Set Chunk
     * Size sent before announced), for a test that sends the same to many connections.
     */
    public static byte[] partialMessage(int csid, int length, int sent, int chunkSize) {
        if (sent % chunkSize != 0 || sent >= length) {
            throw new IllegalArgumentException("whole chunks of an unfinished message only, so a header may follow");
        }
        ByteBuf b = Unpooled.buffer();
        b.writeByte(csid)                                // fmt 0, chunk stream csid
                .writeMedium(0)                          // timestamp 0
                .writeMedium(length)                     // message length
                .writeByte(RtmpMessageType.VIDEO.id())   // video
                .writeIntLE(1);                          // message stream 1
        for (int offset = 0; offset < sent; offset += chunkSize) {
            if (offset > 0) {
                b.writeByte(0xC0 | csid);                // fmt 3: the rest of the same message
            }
            b.writeZero(Math.min(chunkSize, sent - offset));
        }
        byte[] raw = new byte[b.readableBytes()];
        b.readBytes(raw);
        return raw;
    }

    /**
     * Publishes {@code streamKey} to application "live" without reading a single answer: connect, createStream
     * (the server's first stream is 1) and publish, in one go.
     */
    public RawRtmpSocket publishWithoutReading(String streamKey) throws IOException {
        connectCommand();
        send(RtmpMessage.command(3, 0, "createStream", 2.0, null));
        send(RtmpMessage.command(8, 1, "publish", 3.0, null, streamKey, "live"));
        return this;
    }

    /**
     * Reads until the server closes the connection or {@code within} passes.
     *
     * @return the messages the server sent before it closed, or null if it did not close in time
     */
    public List<RtmpMessage> awaitClosedByServer(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                received.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (SocketException e) {
            // a reset closes it too
        }
        EmbeddedChannel decoder = new EmbeddedChannel(new RtmpChunkDecoder(RtmpSettings.defaults()));
        decoder.writeInbound(Unpooled.wrappedBuffer(received.toByteArray()));
        List<RtmpMessage> messages = new ArrayList<>();
        for (Object m; (m = decoder.readInbound()) != null; ) {
            messages.add((RtmpMessage) m);
        }
        return messages;
    }

    /** The status codes of the onStatus commands among {@code messages}. */
    public static List<Object> statusCodes(List<RtmpMessage> messages) {
        List<Object> codes = new ArrayList<>();
        for (RtmpMessage m : messages) {
            if (m.type() == RtmpMessageType.COMMAND_AMF0) {
                List<Object> values = Amf0Reader.readAll(m.payload(), 16);
                if ("onStatus".equals(values.get(0)) && values.get(values.size() - 1) instanceof Map<?, ?> info) {
                    codes.add(info.get("code"));
                }
            }
        }
        return codes;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
