package com.streamloom.control.cluster;

import com.streamloom.control.ControlConfig;
import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.UUID;

/** This replica's {@link LeaseElector} on the application's datasource; logs when leadership changes hands. */
@ApplicationScoped
public class Leadership {
    private static final Logger LOG = Logger.getLogger(Leadership.class);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ControlConfig config;
    @Inject
    Clock clock;

    private LeaseElector elector;

    @PostConstruct
    void init() {
        String holder = config.leader().holderId().orElse("control-" + UUID.randomUUID());
        elector = new LeaseElector(dataSource, config.leader().leaseName(), holder, config.leader().leaseDuration(),
                clock);
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

    public void release() {
        elector.release();
    }
}
