package com.streamloom.control.api;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * Tells a failure to reach the database (down, restarting, no pooled connection within
 * {@code quarkus.datasource.jdbc.acquisition-timeout}) from a fault of ours: the first is a 503 the client may retry,
 * the second a 500.
 */
public final class DatabaseFaults {
    private DatabaseFaults() {
    }

    /** True when {@code e} or one of its causes says the database could not be reached. */
    public static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                String message = sql.getMessage() == null ? "" : sql.getMessage().toLowerCase(Locale.ROOT);
                // SQL state class 08: connection exception; 57P01-03: the server is shutting down or starting
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true;
                }
                if (message.contains("acquisition timeout")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
