package com.streamloom.spec;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's stage reference is written from {@link StageCatalog}, and its spec field table from the spec records;
 * this keeps them from drifting.
 */
class ReadmeCatalogTest {
    @Test
    void readmeDocumentsEveryStageTypeWithEveryParameterAndDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (StageCatalog.StageType t : StageCatalog.types().values()) {
            String row = readme.lines().filter(l -> l.startsWith("| `" + t.type() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("README has no row for stage type " + t.type()));
            for (ParamDef p : t.params()) {
                Object d = p.defaultValue();
                String shown = d instanceof String s ? "\"" + s + "\"" : String.valueOf(d);
                if (d instanceof String s && s.isEmpty()) {
                    shown = "\"\"";
                }
                assertThat(row).as("README row of " + t.type()).contains("`" + p.name() + "`=" + shown);
            }
        }
    }

    @Test
    void readmeDocumentsEveryFieldOfSourceEncodingAndOutput() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Map<String, Class<? extends Record>> sections = Map.of("source", SourceSpec.class, "encoding",
                EncodingSpec.class, "output", OutputSpec.class);
        sections.forEach((prefix, type) -> {
            for (RecordComponent c : type.getRecordComponents()) {
                String field = prefix + "." + c.getName();
                assertThat(readme.lines().anyMatch(l -> l.startsWith("| `" + field + "` |")))
                        .as("README's spec table has a row for " + field).isTrue();
            }
        });
    }
}
