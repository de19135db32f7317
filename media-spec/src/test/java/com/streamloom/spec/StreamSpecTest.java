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

/** A stream spec fills its defaults, survives JSON and names the field of every error. */
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

    @Test
    void theSingleForwardUrlOfOlderSpecsJoinsTheListFirstAndEachTargetCountsOnce() throws Exception {
        StreamSpec legacy = parse("""
                {"name":"cam1","output":{"forwardUrl":"rtmp://comp-a:1936/live/cam1?token=t"}}""").validated();
        StreamSpec listed = parse("""
                {"name":"cam1","output":{"forwardUrls":["rtmp://comp-a:1936/live/cam1?token=t"]}}""").validated();
        assertThat(legacy).isEqualTo(listed);
        assertThat(legacy.output().forwardUrls()).containsExactly("rtmp://comp-a:1936/live/cam1?token=t");
        assertThat(legacy.output().forwardUrl()).isNull();

        StreamSpec both = parse("""
                {"name":"cam1","output":{"forwardUrl":"rtmp://a/live/cam1",
                 "forwardUrls":["rtmp://b/live/cam1","rtmp://a/live/cam1","rtmp://b/live/cam1"]}}""").validated();
        assertThat(both.output().forwardUrls()).containsExactly("rtmp://a/live/cam1", "rtmp://b/live/cam1");
        // what is written is the list only, and reads back as the same spec
        String written = JSON.writeValueAsString(both);
        assertThat(written).contains("\"forwardUrls\":[\"rtmp://a/live/cam1\",\"rtmp://b/live/cam1\"]")
                .doesNotContain("\"forwardUrl\":");
        assertThat(parse(written).validated()).isEqualTo(both);
        // no targets: nothing written, and equal to a spec that never mentioned them
        StreamSpec none = parse("{\"name\":\"cam1\",\"output\":{\"forwardUrls\":[]}}").validated();
        assertThat(JSON.writeValueAsString(none)).doesNotContain("forward");
        assertThat(none).isEqualTo(parse("{\"name\":\"cam1\"}").validated());
    }

    @Test
    void namesTheForwardTargetThatIsNotAnRtmpPublishUrl() {
        assertField("{\"name\":\"a\",\"output\":{\"forwardUrl\":\"http://comp/live/a\"}}", "output.forwardUrl");
        for (String bad : List.of("http://comp/live/a", "rtmp://comp", "rtmp://comp/live", "rtmp://comp/live/",
                "rtmp:///live/a", "rtmp://comp:0/live/a", "rtmp://comp:99999/live/a", "rtmp://comp/live a/x",
                "rtmp://comp/live/" + "x".repeat(OutputSpec.MAX_URL_LENGTH))) {
            String json = "{\"name\":\"a\",\"output\":{\"forwardUrls\":[\"rtmp://ok/live/a\",\"" + bad + "\"]}}";
            assertThatThrownBy(() -> parse(json).validated()).as(bad).isInstanceOfSatisfying(SpecException.class,
                    e -> assertThat(e.field()).isEqualTo("output.forwardUrls[1]"));
        }
        assertField("{\"name\":\"a\",\"output\":{\"forwardUrls\":[null]}}", "output.forwardUrls[0]");
    }

    @Test
    void boundsTheNumberOfForwardTargets() {
        List<String> eight = new java.util.ArrayList<>();
        for (int i = 0; i < OutputSpec.MAX_FORWARD_URLS; i++) {
            eight.add("rtmp://comp-" + i + ":1936/live/a");
        }
        StreamSpec full = new StreamSpec("a", null, null, null, new OutputSpec(null, null, eight)).validated();
        assertThat(full.output().forwardUrls()).isEqualTo(eight);
        // the legacy field naming one of them adds nothing; naming a ninth target is one too many
        assertThat(new StreamSpec("a", null, null, null, new OutputSpec(null, null, eight, eight.get(3)))
                .validated().output().forwardUrls()).hasSize(OutputSpec.MAX_FORWARD_URLS);
        assertThatThrownBy(new StreamSpec("a", null, null, null,
                new OutputSpec(null, null, eight, "rtmp://other/live/a"))::validated)
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.field()).isEqualTo("output.forwardUrls"));
        List<String> nine = new java.util.ArrayList<>(eight);
        nine.add("rtmp://comp-8:1936/live/a");
        assertThatThrownBy(new StreamSpec("a", null, null, null, new OutputSpec(null, null, nine))::validated)
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.field()).isEqualTo("output.forwardUrls"));
    }

    @Test
    void playbackIsPublicUnlessSignedAndAnythingElseNamesTheField() throws Exception {
        StreamSpec plain = parse("{\"name\":\"cam1\"}").validated();
        assertThat(plain.output().playback()).isEqualTo(OutputSpec.PLAYBACK_PUBLIC);
        assertThat(plain.output().signed()).isFalse();
        assertThat(plain).isEqualTo(parse("{\"name\":\"cam1\",\"output\":{\"playback\":\"public\"}}").validated());
        StreamSpec signed = parse("{\"name\":\"cam1\",\"output\":{\"playback\":\"signed\"}}").validated();
        assertThat(signed.output().signed()).isTrue();
        assertThat(parse(JSON.writeValueAsString(signed)).validated()).isEqualTo(signed);
        // the compositors' forward targets the control API adds keep the mode
        assertThat(signed.output().withForwardUrls(List.of("rtmp://comp/live/cam1")).signed()).isTrue();
        for (String bad : List.of("private", "Signed", "", "token")) {
            assertField("{\"name\":\"a\",\"output\":{\"playback\":\"" + bad + "\"}}", "output.playback");
        }
        assertField("{\"name\":\"a\",\"output\":{\"playback\":7}}", "output.playback");
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
