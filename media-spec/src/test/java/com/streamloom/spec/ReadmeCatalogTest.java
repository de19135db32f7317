package com.streamloom.spec;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's stage reference is written from {@link StageCatalog}; this keeps the two from drifting. */
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
}
