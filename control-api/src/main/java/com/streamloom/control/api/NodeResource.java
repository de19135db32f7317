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

    /** Answered on the event loop from memory: no database, no worker thread (issue 4 line 11). */
    @POST
    @Path("/{nodeId}/heartbeat")
    @NonBlocking
    @Operation(summary = "A node's heartbeat; the answer is everything it should run")
    public DesiredState heartbeat(@PathParam("nodeId") String nodeId, Heartbeat heartbeat) {
        return service.heartbeat(nodeId, heartbeat);
    }

    @POST
    @Path("/{nodeId}/publish-check")
    @Operation(summary = "May this stream key publish on this edge? A yes makes the edge the stream's node")
    public PublishCheck.Response publishCheck(@PathParam("nodeId") String nodeId, PublishCheck.Request request) {
        return service.publishCheck(nodeId, request);
    }
}
