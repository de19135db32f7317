package com.streamloom.control.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Optional;

@ApplicationScoped
public class CompositionRepository implements PanacheRepositoryBase<CompositionEntity, String> {

    public Optional<CompositionEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** Records that these run on {@code nodeId} now (one JDBC batch, bumping each row's version). */
    public int assign(Collection<String> ids, String nodeId) {
        return PlacementWrites.set(getEntityManager(), "compositions", ids, nodeId, "assigned", null);
    }

    /** Records that these run nowhere, in {@code state} (pending or offline) for {@code reason}. */
    public int markUnplaced(Collection<String> ids, String state, String reason) {
        return PlacementWrites.set(getEntityManager(), "compositions", ids, null, state, reason);
    }
}
