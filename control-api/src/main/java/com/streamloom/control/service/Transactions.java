package com.streamloom.control.service;

import com.streamloom.control.api.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.OptimisticLockException;

/** The one way services write: a transaction of its own, database conflicts turned into 409s. */
final class Transactions {
    private Transactions() {
    }

    /**
     * Runs a write in its own transaction; a unique-constraint violation becomes 409 with {@code conflict}, and a
     * concurrent change (version check) becomes 409 too.
     */
    static <T> T write(java.util.function.Supplier<T> work, String conflict) {
        try {
            return QuarkusTransaction.requiringNew().call(work::get);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ApiException api) {
                    throw api;
                }
                if (t instanceof OptimisticLockException || t instanceof org.hibernate.StaleStateException) {
                    throw ApiException.conflict("changed concurrently; read it again and retry");
                }
                if (conflict != null && t instanceof org.hibernate.exception.ConstraintViolationException) {
                    throw ApiException.conflict(conflict);
                }
            }
            throw e;
        }
    }

    static void run(Runnable work, String conflict) {
        write(() -> {
            work.run();
            return null;
        }, conflict);
    }
}
