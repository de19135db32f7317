package com.streamloom.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One filter or overlay of a pipeline, written flat in JSON: {@code {"type":"gaussian-blur","kernel":9}}.
 * Parameters not given take the catalog's default once validated; an unknown parameter is an error (a typo must
 * not silently do nothing).
 */
public final class StageSpec {
    private final String type;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private String path = "stage";

    @JsonCreator
    public StageSpec(@JsonProperty("type") String type) {
        this.type = type;
    }

    public StageSpec(String type, Map<String, ?> params) {
        this.type = type;
        this.params.putAll(params);
    }

    @JsonProperty("type")
    public String type() {
        return type;
    }

    @JsonAnySetter
    void set(String name, Object value) {
        params.put(name, value);
    }

    @JsonAnyGetter
    public Map<String, Object> params() {
        return params;
    }

    @JsonIgnore
    public String path() {
        return path;
    }

    @JsonIgnore
    public StageCatalog.StageType definition() {
        return StageCatalog.type(type);
    }

    public int intParam(String name) {
        return ((Number) value(name)).intValue();
    }

    public double doubleParam(String name) {
        return ((Number) value(name)).doubleValue();
    }

    public boolean boolParam(String name) {
        return (Boolean) value(name);
    }

    public String stringParam(String name) {
        return (String) value(name);
    }

    private Object value(String name) {
        Object v = params.get(name);
        if (v == null) {
            StageCatalog.StageType t = definition();
            ParamDef d = t == null ? null : t.param(name);
            if (d == null) {
                throw new IllegalArgumentException("stage " + type + " has no parameter " + name);
            }
            return d.defaultValue();
        }
        return v;
    }

    /** Returns a checked copy with every parameter present (defaults filled in); errors name {@code path}. */
    public StageSpec validated(String path) {
        if (type == null || type.isBlank()) {
            throw new SpecException(path + ".type", "is required; one of " + StageCatalog.types().keySet());
        }
        StageCatalog.StageType def = StageCatalog.type(type);
        if (def == null) {
            throw new SpecException(path + ".type", "unknown stage type '" + type + "'; one of "
                    + StageCatalog.types().keySet());
        }
        for (String name : params.keySet()) {
            if (def.param(name) == null) {
                throw new SpecException(path + "." + name, "is not a parameter of " + type);
            }
        }
        StageSpec out = new StageSpec(type);
        out.path = path;
        for (ParamDef p : def.params()) {
            Object v = params.get(p.name());
            out.params.put(p.name(), v == null ? p.defaultValue() : p.check(path + "." + p.name(), v));
        }
        def.rule().accept(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageSpec s && Objects.equals(type, s.type) && params.equals(s.params);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, params);
    }

    @Override
    public String toString() {
        return type + params;
    }
}
