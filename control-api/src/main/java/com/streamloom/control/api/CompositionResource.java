package com.streamloom.control.api;

import com.streamloom.control.service.CompositionService;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.control.service.PlaybackTokens;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.util.List;

/** Compositions. Admin token. */
@Path("/api/v1/compositions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CompositionResource {
    @Inject
    CompositionService service;
    @Inject
    ResponseMapper mapper;
    @Inject
    PlaybackTokens playbackTokens;

    @POST
    public Response create(CompositionSpec spec) {
        var v = service.create(spec);
        return Response.created(URI.create("/api/v1/compositions/" + v.id())).entity(mapper.composition(v)).build();
    }

    @GET
    public List<Dtos.CompositionResponse> list() {
        return service.list().stream().map(mapper::composition).toList();
    }

    @GET
    @Path("/{id}")
    public Dtos.CompositionResponse get(@PathParam("id") String id) {
        return mapper.composition(service.get(id));
    }

    @PUT
    @Path("/{id}")
    public Dtos.CompositionResponse update(@PathParam("id") String id, CompositionSpec spec) {
        return mapper.composition(service.update(id, spec));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        service.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/playback-tokens")
    @Operation(summary = "A playback token for the composition's HLS (needed when output.playback is signed), its expiry and "
            + "the playback URL that carries it")
    public Dtos.PlaybackTokenResponse playbackToken(@PathParam("id") String id, Dtos.PlaybackTokenRequest request) {
        return mapper.playbackToken(playbackTokens.forComposition(service.get(id), request == null ? null : request.ttlSeconds()));
    }
}
