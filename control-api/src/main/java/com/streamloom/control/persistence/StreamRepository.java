package com.streamloom.control.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class StreamRepository implements PanacheRepositoryBase<StreamEntity, String> {

    public Optional<StreamEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** Records that these run on {@code nodeId} now (one JDBC batch, bumping each row's version). */
    public int assign(Collection<String> ids, String nodeId) {
        return PlacementWrites.set(getEntityManager(), "streams", ids, nodeId, "assigned", null);
    }

    /** Records that these run nowhere, in {@code state} (pending or offline) for {@code reason}. */
    public int markUnplaced(Collection<String> ids, String state, String reason) {
        return PlacementWrites.set(getEntityManager(), "streams", ids, null, state, reason);
    }

    public List<StreamEntity> listByNode(String nodeId) {
        return list("assignedNode", nodeId);
    }
}
