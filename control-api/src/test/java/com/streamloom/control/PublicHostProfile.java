package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** People reach the nodes by another name than the one the nodes advertise to the cluster. */
public class PublicHostProfile implements QuarkusTestProfile {
    public static final String PUBLIC_HOST = "media.example.org";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("streamloom.public-host", PUBLIC_HOST);
    }
}
