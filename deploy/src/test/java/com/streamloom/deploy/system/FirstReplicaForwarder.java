package com.streamloom.deploy.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder in front of control-API replicas, as a Kubernetes Service is for the nodes: each new
 * connection goes to the first replica (in the given order) that accepts it, so a dead replica is skipped. Nodes have
 * one control URL; this is it.
 */
final class FirstReplicaForwarder implements AutoCloseable {
    /** How long one replica may take to accept before the next is tried. */
    static final int CONNECT_TIMEOUT_MS = 1000;

    private final ServerSocket server;
    private final List<Integer> replicaPorts;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    FirstReplicaForwarder(List<Integer> replicaPorts) throws IOException {
        this.replicaPorts = List.copyOf(replicaPorts);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "forwarder-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Socket replica = connectToFirstReplica();
                if (replica == null) {
                    closeQuietly(client);
                    continue;
                }
                open.add(replica);
                pipe(client, replica);
                pipe(replica, client);
            } catch (IOException e) {
                // the server socket was closed: the forwarder is shutting down
            }
        }
    }

    private Socket connectToFirstReplica() {
        for (int port : replicaPorts) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
            }
        }
        return null;
    }

    /** Copies one direction until either side ends, then closes both (a half-closed HTTP exchange is over too). */
    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away (a killed replica resets its connections)
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "forward-" + from.getPort() + "-" + to.getPort());
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(this::closeQuietly);
    }
}
