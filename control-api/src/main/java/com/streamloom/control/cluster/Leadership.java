package com.streamloom.control.cluster;

import com.streamloom.control.ControlConfig;
import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import com.streamloom.control.persistence.PlacementGuard;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * This replica's {@link LeaseElector} on the application's datasource; logs when leadership changes hands. Placement
 * writes of the leader pass {@link #guard()}, which refuses them once the epoch this replica won is stale.
 */
@ApplicationScoped
public class Leadership {
    private static final Logger LOG = Logger.getLogger(Leadership.class);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ControlConfig config;
    private LeaseElector elector;

    @PostConstruct
    void init() {
        String holder = config.leader().holderId().orElse("control-" + UUID.randomUUID());
        elector = new LeaseElector(dataSource, config.leader().leaseName(), holder, config.leader().leaseDuration());
    }

    public boolean tryAcquireOrRenew() {
        boolean was = elector.isLeader();
        boolean now = elector.tryAcquireOrRenew();
        if (now != was) {
            LOG.infof(now ? "%s is now the leader: it runs failure detection and placement"
                    : "%s is no longer the leader", elector.holder());
        }
        return now;
    }

    public boolean isLeader() {
        return elector.isLeader();
    }

    public String holder() {
        return elector.holder();
    }

    /** The fencing check of the epoch this replica won; a write it guards fails once another replica leads. */
    public PlacementGuard guard() {
        return elector;
    }

    public long epoch() {
        return elector.epoch();
    }

    public void release() {
        elector.release();
    }
}
