package com.streamloom.media.filter;

import com.streamloom.spec.FfmpegFilters;
import org.bytedeco.ffmpeg.avfilter.AVFilter;
import org.bytedeco.ffmpeg.avutil.AVClass;
import org.bytedeco.ffmpeg.avutil.AVOption;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_get_by_name;
import static org.bytedeco.ffmpeg.global.avutil.AV_OPT_TYPE_BINARY;
import static org.bytedeco.ffmpeg.global.avutil.AV_OPT_TYPE_DICT;
import static org.bytedeco.ffmpeg.global.avutil.AV_OPT_TYPE_STRING;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_next;

/**
 * Every option of an allowed filter that takes free text (the only kind that can name a file, a device or a URL) is
 * one we reviewed: the filter allowlist is then an allowlist of options too, however an option is spelled (by name,
 * alias or position). A new text option in an FFmpeg upgrade fails here until someone reviews it.
 */
class FfmpegFilterOptionsTest {
    private static final String REVIEWED = "ffmpeg-filter-text-options.txt";

    @Test
    void theTextOptionsOfAllowedFiltersAreExactlyTheReviewedOnes() throws IOException {
        Set<String> found = new TreeSet<>();
        for (String name : FfmpegFilters.allowed()) {
            AVFilter filter = avfilter_get_by_name(name);
            assertThat(filter).as("this FFmpeg has the allowed filter " + name).isNotNull();
            AVClass cls = filter.priv_class();
            if (cls == null || cls.isNull()) {
                continue;
            }
            // av_opt_next reads the AVClass from the first field of the object it is given
            PointerPointer<AVClass> object = new PointerPointer<>(1);
            object.put(0, cls);
            for (AVOption o = av_opt_next(object, null); o != null && !o.isNull(); o = av_opt_next(object, o)) {
                int type = o.type();
                if (type == AV_OPT_TYPE_STRING || type == AV_OPT_TYPE_DICT || type == AV_OPT_TYPE_BINARY) {
                    found.add(name + " " + o.name().getString());
                }
            }
            object.close();
        }
        assertThat(found).as("text options of allowed filters; review each new one (does it name a file, device or"
                + " URL?) and list it in " + REVIEWED).containsExactlyElementsOf(reviewed());
    }

    @Test
    void noReviewedOptionNamesAFile() throws IOException {
        for (String entry : reviewed()) {
            String option = entry.substring(entry.indexOf(' ') + 1);
            assertThat(FfmpegFilters.isRefusedOption(option)).as(entry).isFalse();
        }
    }

    private static Set<String> reviewed() throws IOException {
        try (InputStream in = FfmpegFilterOptionsTest.class.getResourceAsStream(REVIEWED)) {
            assertThat(in).as(REVIEWED).isNotNull();
            Set<String> lines = new TreeSet<>();
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(lines::add);
            return lines;
        }
    }
}
