package com.streamloom.control.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

@ApplicationScoped
public class StreamRepository implements PanacheRepositoryBase<StreamEntity, String> {

    public Optional<StreamEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }
}
