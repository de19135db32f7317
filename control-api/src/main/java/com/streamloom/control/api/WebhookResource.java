package com.streamloom.control.api;

import com.streamloom.control.webhook.DeliveryOutbox;
import com.streamloom.control.webhook.WebhookService;
import com.streamloom.control.webhook.WebhookStore;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.List;

/** Webhooks: signed deliveries of cluster events to an HTTP receiver. Admin token. */
@Path("/api/v1/webhooks")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {
    /** A webhook as shown: never its secret. */
    public record WebhookResponse(String id, String url, List<String> events, String createdAt) {
    }

    public record AttemptResponse(String at, Integer statusCode, String error, long durationMs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryResponse(String id, String event, String state, int attempts, String createdAt,
                                   String nextAttemptAt, List<AttemptResponse> tried) {
    }

    @Inject
    WebhookService service;

    @POST
    @Operation(summary = "Register a webhook {url, events, secret}; the secret signs deliveries and is never shown")
    public Response create(WebhookService.Registration registration) {
        return Response.status(201).entity(view(service.create(registration))).build();
    }

    @GET
    public List<WebhookResponse> list() {
        return service.list().stream().map(WebhookResource::view).toList();
    }

    @GET
    @Path("/{id}")
    public WebhookResponse get(@PathParam("id") String id) {
        return view(service.get(id));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        service.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The webhook's newest deliveries (limit, 100 by default), each with its attempts and answers")
    public List<DeliveryResponse> deliveries(@PathParam("id") String id, @QueryParam("limit") Integer limit) {
        return service.deliveries(id, limit).stream().map(WebhookResource::view).toList();
    }

    private static WebhookResponse view(WebhookStore.Webhook w) {
        return new WebhookResponse(w.id(), w.url(), List.copyOf(w.events()), iso(w.createdAt()));
    }

    private static DeliveryResponse view(DeliveryOutbox.Delivery d) {
        return new DeliveryResponse(d.id(), d.event(), d.state(), d.attempts(), iso(d.createdAt()),
                DeliveryOutbox.PENDING.equals(d.state()) ? iso(d.nextAttemptAt()) : null,
                d.tried().stream().map(a -> new AttemptResponse(iso(a.at()), a.statusCode(), a.error(),
                        a.durationMs())).toList());
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
