package com.streamloom.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamSpecTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static StreamSpec parse(String json) throws Exception {
        return JSON.readValue(json, StreamSpec.class);
    }

    @Test
    void fillsDefaultsSoThatEquivalentSpecsCompareEqual() throws Exception {
        StreamSpec a = parse("{\"name\":\"cam1\",\"stages\":[{\"type\":\"gaussian-blur\"}]}").validated();
        StreamSpec b = parse("""
                {"name":"cam1","source":{"type":"rtmp-push"},
                 "stages":[{"type":"gaussian-blur","kernel":9,"sigma":0}],
                 "encoding":{"preset":"veryfast","bitrateKbps":2500,"maxFps":0,"audio":"copy"},
                 "output":{"segmentSeconds":2,"windowSegments":6}}""").validated();
        assertThat(a).isEqualTo(b);
        assertThat(a.stages().get(0).intParam("kernel")).isEqualTo(9);
    }

    @Test
    void survivesAJsonRoundTrip() throws Exception {
        StreamSpec s = parse("""
                {"name":"lobby","source":{"type":"rtsp-pull","url":"rtsp://10.0.0.5/stream1","transport":"udp"},
                 "stages":[{"type":"text","text":"你好 {time}","fontSize":40},{"type":"face-blur"}]}""").validated();
        StreamSpec back = parse(JSON.writeValueAsString(s)).validated();
        assertThat(back).isEqualTo(s);
        assertThat(back.source().transport()).isEqualTo("udp");
    }

    @Test
    void namesTheFieldOfEveryError() {
        assertField("{\"name\":\"../etc\"}", "name");
        assertField("{\"name\":\"a\",\"stages\":[{\"type\":\"grayscale\"},{\"type\":\"gaussian-blur\",\"kernel\":8}]}",
                "stages[1].kernel");
        assertField("{\"name\":\"a\",\"stages\":[{\"type\":\"sepia\"}]}", "stages[0].type");
        assertField("{\"name\":\"a\",\"stages\":[{\"type\":\"grayscale\",\"strength\":2}]}", "stages[0].strength");
        assertField("{\"name\":\"a\",\"stages\":[{\"type\":\"sharpen\",\"amount\":\"lots\"}]}", "stages[0].amount");
        assertField("{\"name\":\"a\",\"source\":{\"type\":\"rtsp-pull\",\"url\":\"http://x\"}}", "source.url");
        assertField("{\"name\":\"a\",\"output\":{\"segmentSeconds\":0.5}}", "output.segmentSeconds");
        assertField("{\"name\":\"a\",\"encoding\":{\"preset\":\"placebo\"}}", "encoding.preset");
        assertField("{\"name\":\"a\",\"stages\":[{\"type\":\"text\",\"color\":\"red\"}]}", "stages[0].color");
        assertField("{\"name\":\"a\",\"stages\":[{\"type\":\"image\"}]}", "stages[0].source");
    }

    @Test
    void rejectsLongNamesAndTooManyStages() {
        assertField("{\"name\":\"" + "a".repeat(65) + "\"}", "name");
        StreamSpec many = new StreamSpec("a", null,
                java.util.Collections.nCopies(StreamSpec.MAX_STAGES + 1, new StageSpec("grayscale", Map.of())),
                null, null);
        assertThatThrownBy(many::validated).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo("stages"));
    }

    @Property(tries = 200)
    void everyOddKernelInRangeIsAcceptedAndEveryEvenOneRejected(@ForAll @IntRange(min = 3, max = 99) int kernel) {
        StageSpec s = new StageSpec("gaussian-blur", Map.of("kernel", kernel));
        if (kernel % 2 == 1) {
            assertThat(s.validated("stages[0]").intParam("kernel")).isEqualTo(kernel);
        } else {
            assertThatThrownBy(() -> s.validated("stages[0]")).isInstanceOf(SpecException.class)
                    .hasMessageContaining("stages[0].kernel");
        }
    }

    @Test
    void costFactorGrowsWithExpensiveStages() {
        StreamSpec plain = new StreamSpec("a", null, List.of(), null, null).validated();
        StreamSpec faces = new StreamSpec("a", null, List.of(new StageSpec("face-blur", Map.of())), null, null).validated();
        assertThat(plain.costFactor()).isEqualTo(1.0);
        assertThat(faces.costFactor()).isGreaterThan(2.0);
    }

    private static void assertField(String json, String field) {
        assertThatThrownBy(() -> parse(json).validated()).isInstanceOfSatisfying(SpecException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
