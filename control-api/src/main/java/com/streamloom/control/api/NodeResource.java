package com.streamloom.control.api;

import com.streamloom.control.service.NodeService;
import com.streamloom.spec.node.DesiredState;
import com.streamloom.spec.node.Heartbeat;
import com.streamloom.spec.node.PublishCheck;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import com.streamloom.control.service.NodeCredentials;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;

/**
 * Nodes. Enrolment takes the cluster's join token; heartbeat and publish-check take the node's own
 * credential, for its own node id only; the list and revocation take the admin token
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
    @Inject
    NodeCredentials credentials;

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
     * {@link DesiredState} already serialised, rebuilt only when its assignments change.
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

    /**
     * A node enrols once with the join token and keeps the credential it gets; enrolling again replaces it (the old
     * one stops working), and a revoked node is refused (403) until an admin clears the revocation.
     */
    @POST
    @Path("/{nodeId}/enrol")
    @Operation(summary = "Enrol a node with the join token; the answer is its own credential, shown only once")
    public Response enrol(@PathParam("nodeId") String nodeId) {
        String credential = credentials.enrol(NodeService.checkNodeId(nodeId));
        return Response.ok(new Dtos.EnrolResponse(nodeId, credential)).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Path("/{nodeId}/credential")
    @Operation(summary = "Revoke a node's credential: its calls get 401, and it cannot enrol again until cleared")
    public Response revoke(@PathParam("nodeId") String nodeId) {
        credentials.revoke(NodeService.checkNodeId(nodeId));
        return Response.noContent().build();
    }

    @DELETE
    @Path("/{nodeId}/revocation")
    @Operation(summary = "Clear a node's revocation, so it may enrol again with the join token")
    public Response clearRevocation(@PathParam("nodeId") String nodeId) {
        credentials.clearRevocation(NodeService.checkNodeId(nodeId));
        return Response.noContent().build();
    }

    @POST
    @Path("/{nodeId}/publish-check")
    @Operation(summary = "May this stream key publish on this edge? A yes makes the edge the stream's node")
    public PublishCheck.Response publishCheck(@PathParam("nodeId") String nodeId, PublishCheck.Request request) {
        return service.publishCheck(nodeId, request);
    }
}
