package com.streamloom.control.api;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.ServerSocket;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A database that cannot be reached is told apart from a fault of ours (503, not 500), however deeply wrapped. */
class DatabaseFaultsTest {
    @Test
    void aRefusedConnectionIsUnavailableAndOtherFaultsAreNot() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL("jdbc:postgresql://127.0.0.1:" + port + "/test?connectTimeout=5");
        pg.setUser("postgres");
        Throwable refused = catchThrowable(pg::getConnection);
        assertThat(refused).isInstanceOf(SQLException.class);

        assertThat(DatabaseFaults.unavailable(refused)).isTrue();
        assertThat(DatabaseFaults.unavailable(new IllegalStateException("commit failed",
                new RuntimeException(refused)))).isTrue();
        assertThat(DatabaseFaults.unavailable(new SQLException("Acquisition timeout while waiting for new connection")))
                .isTrue();
        assertThat(DatabaseFaults.unavailable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseFaults.unavailable(new IllegalStateException("a bug of ours"))).isFalse();
    }
}
