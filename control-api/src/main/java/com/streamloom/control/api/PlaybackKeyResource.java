package com.streamloom.control.api;

import com.streamloom.control.cluster.PlaybackKeyRing;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;

/** The cluster's playback key (signs the tokens of signed outputs). Admin token. */
@Path("/api/v1/playback-keys")
@Produces(MediaType.APPLICATION_JSON)
public class PlaybackKeyResource {
    @Inject
    PlaybackKeyRing keys;

    @POST
    @Path("/rotate")
    @Operation(summary = "A new playback key; tokens of the previous one keep playing for "
            + "streamloom.playback.key-grace (12 h by default); rotating twice in a row drops the old key at once")
    public Dtos.KeyRotationResponse rotate() {
        PlaybackKeyRing.Rotation r = keys.rotate();
        return new Dtos.KeyRotationResponse(r.keyId(), Instant.ofEpochMilli(r.createdAt()).toString(),
                r.previousValidUntil() == null ? null : Instant.ofEpochMilli(r.previousValidUntil()).toString());
    }
}
