package com.streamloom.control.api;

import com.streamloom.control.service.NodeService;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.Heartbeat;
import com.streamloom.spec.node.PublishCheck;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;

/**
 * Nodes (issue 4 line 6). Heartbeat and publish-check take the node token; the list takes the admin token
 * ({@link com.streamloom.control.auth.BearerAuth}).
 */
@Path("/api/v1/nodes")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class NodeResource {
    @Inject
    NodeService service;
    @Inject
    ResponseMapper mapper;

    @GET
    public List<Dtos.NodeResponse> list() {
        return service.list().stream().map(mapper::node).toList();
    }

    @GET
    @Path("/{nodeId}")
    public Dtos.NodeResponse get(@PathParam("nodeId") String nodeId) {
        return mapper.node(service.get(nodeId));
    }

    /**
     * Answered on the event loop from memory: no database, no worker thread; the answer is the node's
     * {@link DesiredState} already serialised, rebuilt only when its assignments change (issue 4 line 11).
     */
    @POST
    @Path("/{nodeId}/heartbeat")
    @NonBlocking
    @Operation(summary = "A node's heartbeat; the answer is everything it should run")
    @APIResponse(responseCode = "200", description = "the node's desired state", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DesiredState.class)))
    public byte[] heartbeat(@PathParam("nodeId") String nodeId, Heartbeat heartbeat) {
        return service.heartbeat(nodeId, heartbeat);
    }

    @POST
    @Path("/{nodeId}/publish-check")
    @Operation(summary = "May this stream key publish on this edge? A yes makes the edge the stream's node")
    public PublishCheck.Response publishCheck(@PathParam("nodeId") String nodeId, PublishCheck.Request request) {
        return service.publishCheck(nodeId, request);
    }
}
