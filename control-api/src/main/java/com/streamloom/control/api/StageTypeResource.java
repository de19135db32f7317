package com.streamloom.control.api;

import com.streamloom.spec.ParamDef;
import com.streamloom.spec.StageCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/**
 * The stage catalog: every filter and overlay a pipeline spec may name, with its parameters. The dashboard's
 * pipeline editor builds its forms from this, and validation uses the same catalog, so they cannot disagree.
 */
@Path("/api/v1/stage-types")
@Produces(MediaType.APPLICATION_JSON)
public class StageTypeResource {

    /** A stage type as JSON (the catalog's own record also carries a validation rule, which is code). */
    public record StageTypeView(String type, String description, boolean overlay, double relativeCost,
                                List<ParamDef> params) {
    }

    private static final List<StageTypeView> VIEWS = StageCatalog.types().values().stream()
            .map(t -> new StageTypeView(t.type(), t.description(), t.overlay(), t.relativeCost(), t.params()))
            .toList();

    @GET
    @Operation(summary = "Every stage type with its parameters, defaults and ranges")
    public List<StageTypeView> list() {
        return VIEWS;
    }
}
