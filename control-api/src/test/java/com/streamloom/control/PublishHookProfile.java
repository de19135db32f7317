package com.streamloom.control;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** The application with a publish hook: a real HTTP service on loopback whose answer the test sets. */
public class PublishHookProfile implements QuarkusTestProfile {
    /** The status the hook answers; a negative value: it answers nothing for five seconds. */
    static volatile int answer = 200;
    static final List<String> ASKED = new CopyOnWriteArrayList<>();
    static final HttpServer HOOK = start();

    private static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "publish-hook-stub");
                t.setDaemon(true);
                return t;
            }));
            s.createContext("/allow", exchange -> {
                try (exchange) {
                    ASKED.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    int status = answer;
                    if (status < 0) {
                        Thread.sleep(5_000);
                        status = 200;
                    }
                    exchange.sendResponseHeaders(status, -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("streamloom.publish-hook.url", "http://127.0.0.1:" + HOOK.getAddress().getPort() + "/allow");
    }
}
