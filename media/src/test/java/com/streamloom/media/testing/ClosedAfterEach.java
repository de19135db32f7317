package com.streamloom.media.testing;

import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The set-up that network tests share: an event loop for clients, and whatever a test opened (servers, clients,
 * sockets), closed after each test newest first, then the loop. Register it as an instance field with
 * {@code @RegisterExtension}.
 */
public final class ClosedAfterEach implements AfterEachCallback {
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final List<AutoCloseable> open = new ArrayList<>();

    /** One event loop for the test's clients. */
    public NioEventLoopGroup group() {
        return group;
    }

    /** Closes {@code resource} after the test; returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        open.add(resource);
        return resource;
    }

    /** Forgets {@code resource}, which the test closed itself. */
    public void forget(AutoCloseable resource) {
        open.remove(resource);
    }

    /** Closes now, newest first, everything added except {@code keep} (null: everything). */
    public void closeAllBut(AutoCloseable keep) throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i) != keep) {
                open.remove(i).close();
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            closeAllBut(null);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
