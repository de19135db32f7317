package com.streamloom.control.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

@ApplicationScoped
public class CompositionRepository implements PanacheRepositoryBase<CompositionEntity, String> {

    public Optional<CompositionEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }
}
