package com.streamloom.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/**
 * A stream is a pipeline spec: where media comes from, the ordered filters and overlays, the encoding and the
 * outputs. The same JSON is accepted by the control API, by a node's local config file, and shown in the dashboard.
 * {@link #validated()} checks every field (errors name the field's JSON path) and fills in defaults, so that two
 * specs that mean the same thing compare equal.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamSpec(String name, SourceSpec source, List<StageSpec> stages, EncodingSpec encoding,
                         OutputSpec output) {
    public static final int MAX_STAGES = 32;

    public StreamSpec validated() {
        Names.check("name", name);
        SourceSpec src = (source == null ? SourceSpec.push() : source).validated("source");
        List<StageSpec> in = stages == null ? List.of() : stages;
        if (in.size() > MAX_STAGES) {
            throw new SpecException("stages", "at most " + MAX_STAGES + " stages");
        }
        List<StageSpec> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            if (in.get(i) == null) {
                throw new SpecException("stages[" + i + "]", "must be an object");
            }
            out.add(in.get(i).validated("stages[" + i + "]"));
        }
        EncodingSpec enc = (encoding == null ? EncodingSpec.defaults() : encoding).validated("encoding");
        OutputSpec o = (output == null ? OutputSpec.defaults() : output).validated("output");
        return new StreamSpec(name, src, List.copyOf(out), enc, o);
    }

    /** Relative processing cost per pixel of this spec's stages (1.0 = decode + encode alone). */
    public double costFactor() {
        double c = 1.0;
        for (StageSpec s : stages == null ? List.<StageSpec>of() : stages) {
            StageCatalog.StageType t = s.definition();
            c += t == null ? 0 : t.relativeCost();
        }
        return c;
    }

    public StreamSpec withStages(List<StageSpec> newStages) {
        return new StreamSpec(name, source, newStages, encoding, output);
    }

    public StreamSpec withOutput(OutputSpec newOutput) {
        return new StreamSpec(name, source, stages, encoding, newOutput);
    }
}
