package com.streamloom.control.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class CompositionRepository implements PanacheRepositoryBase<CompositionEntity, String> {

    public Optional<CompositionEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** Records where each of these runs now (id to node; one JDBC batch, bumping each row's version). */
    public int assign(Map<String, String> nodeById) {
        return PlacementWrites.set(getEntityManager(), nodeById, "assigned", null);
    }

    /** Records that these run nowhere, in {@code state} (pending or offline) for {@code reason}. */
    public int markUnplaced(Collection<String> ids, String state, String reason) {
        Map<String, String> none = new java.util.LinkedHashMap<>();
        ids.forEach(id -> none.put(id, null));
        return PlacementWrites.set(getEntityManager(), none, state, reason);
    }
}
