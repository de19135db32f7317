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

    public int assign(Collection<String> ids, String nodeId) {
        return update("assignedNode = ?1, state = ?2, pendingReason = null, version = version + 1 where id in ?3",
                nodeId, "assigned", ids);
    }

    public int markUnplaced(Collection<String> ids, String state, String reason) {
        return update("assignedNode = null, state = ?1, pendingReason = ?2, version = version + 1 where id in ?3",
                state, reason, ids);
    }
}
