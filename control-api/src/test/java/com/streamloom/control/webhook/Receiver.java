package com.streamloom.control.webhook;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;

/** A real HTTP receiver on loopback that keeps every request and answers the status its rule gives the n-th one. */
public final class Receiver implements AutoCloseable {
    /** One request as received. */
    public record Received(String path, String signature, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /**
     * @param status  the status of the n-th request (0-based)
     * @param sleepMs how long to wait before answering
     */
    public Receiver(IntUnaryOperator status, long sleepMs) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int n = received.size();
                received.add(new Received(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("StreamLoom-Signature"), body));
                if (sleepMs > 0) {
                    Thread.sleep(sleepMs);
                }
                exchange.sendResponseHeaders(status.applyAsInt(n), -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
