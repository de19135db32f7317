package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaSink;
import com.streamloom.media.testing.CollectingSink;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Invariant: a publish decision that arrives later is applied to its connection, never blocking the event loop. */
class RtmpAsyncPublishDecisionTest {
    final LinkedBlockingQueue<CompletableFuture<MediaSink>> decisions = new LinkedBlockingQueue<>();
    final EventLoopGroup clients = new NioEventLoopGroup(1);
    RtmpServer server;

    final PublishHandler later = new PublishHandler() {
        @Override
        public MediaSink onPublish(PublishRequest request) {
            throw new AssertionError("the asynchronous decision is used");
        }

        @Override
        public CompletionStage<MediaSink> onPublishAsync(PublishRequest request) {
            CompletableFuture<MediaSink> decision = new CompletableFuture<>();
            decisions.add(decision);
            return decision;
        }
    };

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aLaterGrantStartsThePublicationAndALaterRefusalClosesIt() throws Exception {
        server = RtmpServer.start(new InetSocketAddress("127.0.0.1", 0), RtmpSettings.defaults(), later);
        CompletableFuture<RtmpClient> granted = publish("first-key-Hq8xV2mLr7TbN4kY");
        CompletableFuture<MediaSink> firstDecision = decisions.poll(5, TimeUnit.SECONDS);
        CompletableFuture<RtmpClient> refused = publish("second-key-Wd3sJf1Pg6Ze9UaC");
        CompletableFuture<MediaSink> secondDecision = decisions.poll(5, TimeUnit.SECONDS);
        assertThat(firstDecision).isNotNull();
        assertThat(secondDecision).as("a second connection got to its publish while the first waited").isNotNull();
        assertThat(granted).isNotDone();

        secondDecision.completeExceptionally(new PublishRejectedException("invalid stream key"));
        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RtmpPublishFailedException.class)
                .hasMessageContaining("NetStream.Publish.BadName").hasMessageContaining("invalid stream key");

        CollectingSink sink = new CollectingSink();
        firstDecision.complete(sink);
        RtmpClient client = granted.get(5, TimeUnit.SECONDS);
        assertThat(client.isOpen()).isTrue();
        client.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !sink.ends.isEmpty());
    }

    @Test
    void aGrantForAPublisherThatLeftEndsTheSinkAtOnce() throws Exception {
        server = RtmpServer.start(new InetSocketAddress("127.0.0.1", 0), RtmpSettings.defaults(), later);
        publish("gone-key-Pz5rT8wQ1nB6cY3x");
        CompletableFuture<MediaSink> decision = decisions.poll(5, TimeUnit.SECONDS);
        assertThat(decision).isNotNull();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();

        // Let the server see the connection close before the decision arrives.
        Thread.sleep(300);
        CollectingSink sink = new CollectingSink();
        decision.complete(sink);
        await().atMost(Duration.ofSeconds(5)).until(() -> !sink.ends.isEmpty());
        assertThat(sink.ends).hasSize(1);
    }

    private CompletableFuture<RtmpClient> publish(String key) {
        return RtmpClient.publish(clients, RtmpUrl.parse("rtmp://127.0.0.1:" + server.port() + "/live/" + key),
                RtmpSettings.defaults(), () -> { });
    }
}
