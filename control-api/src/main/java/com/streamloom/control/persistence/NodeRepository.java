package com.streamloom.control.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class NodeRepository implements PanacheRepositoryBase<NodeEntity, String> {
}
