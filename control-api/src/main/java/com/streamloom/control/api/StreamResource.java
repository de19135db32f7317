package com.streamloom.control.api;

import com.streamloom.control.service.StreamService;
import com.streamloom.spec.StreamSpec;
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

/** Streams. Admin token. */
@Path("/api/v1/streams")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StreamResource {
    @Inject
    StreamService service;
    @Inject
    ResponseMapper mapper;
    @Inject
    PlaybackTokens playbackTokens;

    @POST
    @Operation(summary = "Create a stream; a push stream's answer carries ingestUrl and streamKey (shown only here)")
    public Response create(StreamSpec spec) {
        StreamService.Created c = service.create(spec);
        return Response.created(URI.create("/api/v1/streams/" + c.stream().id()))
                .entity(mapper.stream(c.stream(), c.streamKey())).build();
    }

    @GET
    @Operation(summary = "All streams (never their keys)")
    public List<Dtos.StreamResponse> list() {
        return service.list().stream().map(v -> mapper.stream(v, null)).toList();
    }

    @GET
    @Path("/{id}")
    public Dtos.StreamResponse get(@PathParam("id") String id) {
        return mapper.stream(service.get(id), null);
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace the spec; the running pipeline takes it without restarting")
    public Dtos.StreamResponse update(@PathParam("id") String id, StreamSpec spec) {
        return mapper.stream(service.update(id, spec), null);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        service.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/restart")
    @Operation(summary = "Forget the stream's start failures and clear its failed mark (it may be moved again)")
    public Dtos.StreamResponse restart(@PathParam("id") String id) {
        return mapper.stream(service.restart(id), null);
    }

    @POST
    @Path("/{id}/rotate-key")
    @Operation(summary = "A new stream key (shown only here); the old one stops working")
    public Dtos.StreamResponse rotateKey(@PathParam("id") String id) {
        StreamService.Created c = service.rotateKey(id);
        return mapper.stream(c.stream(), c.streamKey());
    }

    @POST
    @Path("/{id}/captions")
    @Operation(summary = "Show a live caption on the stream now (sent straight to its node)")
    public Response caption(@PathParam("id") String id, Dtos.CaptionRequest caption) {
        if (caption == null) {
            throw ApiException.badRequest("text", "is required");
        }
        service.caption(id, caption.text());
        return Response.accepted().build();
    }

    @POST
    @Path("/{id}/playback-tokens")
    @Operation(summary = "A playback token for the stream's HLS (needed when output.playback is signed), its expiry and "
            + "the playback URL that carries it")
    public Dtos.PlaybackTokenResponse playbackToken(@PathParam("id") String id, Dtos.PlaybackTokenRequest request) {
        return mapper.playbackToken(playbackTokens.forStream(service.get(id), request == null ? null : request.ttlSeconds()));
    }
}
