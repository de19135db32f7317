package com.streamloom.control.service;

import com.streamloom.control.api.ApiException;
import com.streamloom.control.cluster.Leadership;
import com.streamloom.control.cluster.StreamView;
import com.streamloom.control.persistence.PlacedEntity;
import com.streamloom.control.placement.PlacementRequest;
import com.streamloom.control.placement.PlacementService;
import com.streamloom.spec.node.NodeRole;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.Session;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Creating and changing the stored record of something placed on a node, done the same way for streams (on edges)
 * and compositions (on compositors).
 */
@ApplicationScoped
public class PlacedRecords {
    @Inject
    PlacementService placement;
    @Inject
    Leadership leadership;
    @Inject
    Clock clock;

    /**
     * Places {@code e} on a node of {@code role} (only the leader replica places; elsewhere it stays pending), stores
     * it and hands it to {@code publish} (which updates the in-memory index), all under the placement lock so no
     * placement round sees it half done. A taken name is a 409 with {@code conflict}. {@code cost} and
     * {@code hlsBytes} are its estimated share of a node ({@code CostModel}).
     */
    public <E extends PlacedEntity, V> V create(E e, String name, String specJson, NodeRole role, double cost,
                                                long hlsBytes,
                                                PanacheRepositoryBase<E, String> repository, String conflict,
                                                Function<E, V> publish) {
        return placement.exclusively(() -> {
            PlacementService.Decision d = leadership.isLeader()
                    ? placement.decide(role, new PlacementRequest(name, cost, hlsBytes))
                    : new PlacementService.Decision(null, "waiting for the leader replica to place it");
            e.id = UUID.randomUUID().toString();
            e.name = name;
            e.specJson = specJson;
            e.assignedNode = d.nodeId();
            e.state = d.nodeId() == null ? StreamView.PENDING : StreamView.ASSIGNED;
            e.pendingReason = d.reason();
            e.createdAt = clock.millis();
            Transactions.run(() -> {
                if (d.nodeId() != null) {
                    // a placement decided by the leader lands only while its epoch holds
                    repository.getEntityManager().unwrap(Session.class).doWork(leadership.guard()::fence);
                }
                repository.persist(e);
                repository.flush();
            }, conflict);
            return publish.apply(e);
        });
    }

    /** Applies {@code change} to the stored {@code kind} {@code id} in a transaction of its own (404 if it is gone). */
    public <E extends PlacedEntity> E change(PanacheRepositoryBase<E, String> repository, String kind, String id,
                                             Consumer<E> change) {
        return Transactions.write(() -> {
            E found = repository.findByIdOptional(id).orElseThrow(() -> ApiException.notFound(kind, id));
            change.accept(found);
            repository.flush();
            return found;
        }, null);
    }
}
