package com.streamloom.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A composition spec names the field of every error. */
class CompositionSpecTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static CompositionSpec parse(String json) throws Exception {
        return JSON.readValue(json, CompositionSpec.class);
    }

    @Test
    void defaultsToA720p30GridMixingEveryInput() throws Exception {
        CompositionSpec c = parse("{\"name\":\"wall\",\"inputs\":[{\"stream\":\"a\"},{\"stream\":\"b\"}]}").validated();
        assertThat(c.canvas()).isEqualTo(new CompositionSpec.Canvas(1280, 720, 30, "#000000"));
        assertThat(c.layout().type()).isEqualTo("grid");
        assertThat(c.audio().mode()).isEqualTo("mix");
        assertThat(c.inputs().get(0).jitterMs()).isEqualTo(200);
    }

    @Test
    void namesTheFieldOfEveryError() {
        assertField("{\"name\":\"w\",\"inputs\":[]}", "inputs");
        assertField("{\"name\":\"w\",\"inputs\":[{\"stream\":\"a\"},{\"stream\":\"a\"}]}", "inputs[1].stream");
        assertField("{\"name\":\"w\",\"inputs\":[{\"stream\":\"a\"}],\"layout\":{\"type\":\"hexagon\"}}", "layout.type");
        assertField("{\"name\":\"w\",\"inputs\":[{\"stream\":\"a\"}],\"layout\":{\"type\":\"free\",\"rects\":[{\"input\":3,\"width\":10,\"height\":10}]}}",
                "layout.rects[0].input");
        assertField("{\"name\":\"w\",\"inputs\":[{\"stream\":\"a\"}],\"audio\":{\"mode\":\"follow\",\"follow\":\"zz\"}}",
                "audio.follow");
        assertField("{\"name\":\"w\",\"canvas\":{\"width\":641},\"inputs\":[{\"stream\":\"a\"}]}", "canvas.width");
        assertField("{\"name\":\"w\",\"inputs\":[{\"stream\":\"a\",\"gain\":9}]}", "inputs[0].gain");
    }

    private static void assertField(String json, String field) {
        assertThatThrownBy(() -> parse(json).validated()).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
