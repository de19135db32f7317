package com.streamloom.media.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free local ports for test servers. */
public final class Ports {
    private Ports() {
    }

    /**
     * A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it, so parallel tests do not collide; a tiny
     * race remains until the caller binds it).
     */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }
}
