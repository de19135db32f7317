package com.streamloom.compositor.layout;

import com.streamloom.spec.CompositionSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every layout puts each input inside the canvas, on even coordinates, without overlap unless drawn in z order. */
class LayoutEngineTest {

    static CompositionSpec spec(int n, int w, int h, CompositionSpec.Layout layout) {
        List<CompositionSpec.Input> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inputs.add(new CompositionSpec.Input("in" + i, null, null, null, null, null, null));
        }
        return new CompositionSpec("c", new CompositionSpec.Canvas(w, h, 30, null), inputs, layout, null, null)
                .validated();
    }

    @Provide
    Arbitrary<Integer> evenWidth() {
        return Arbitraries.integers().between(32, 1920).map(v -> v * 2);
    }

    @Provide
    Arbitrary<Integer> evenHeight() {
        return Arbitraries.integers().between(32, 1080).map(v -> v * 2);
    }

    @Provide
    Arbitrary<String> corner() {
        return Arbitraries.of("top-left", "top-right", "bottom-left", "bottom-right");
    }

    @Property(tries = 300)
    void gridCellsAreInsideEvenAndDisjoint(@ForAll @IntRange(min = 1, max = 16) int n,
                                           @ForAll("evenWidth") int w, @ForAll("evenHeight") int h) {
        List<Placement> ps = LayoutEngine.place(spec(n, w, h, new CompositionSpec.Layout("grid", null, null, null)));
        assertThat(ps).hasSize(n);
        assertInsideEvenAndDisjoint(ps, w, h);
    }

    @Property(tries = 300)
    void sideBySideCellsAreInsideEvenAndDisjoint(@ForAll @IntRange(min = 1, max = 16) int n,
                                                 @ForAll("evenWidth") int w, @ForAll("evenHeight") int h) {
        List<Placement> ps = LayoutEngine.place(spec(n, w, h,
                new CompositionSpec.Layout("side-by-side", null, null, null)));
        assertThat(ps).hasSize(n);
        assertInsideEvenAndDisjoint(ps, w, h);
    }

    @Property(tries = 300)
    void pipInsetsAreInsideEvenDisjointAndInTheirCorner(@ForAll @IntRange(min = 1, max = 16) int n,
                                                        @ForAll("evenWidth") int w, @ForAll("evenHeight") int h,
                                                        @ForAll("corner") String corner,
                                                        @ForAll @IntRange(min = 5, max = 90) int sizePercent) {
        List<Placement> ps = LayoutEngine.place(spec(n, w, h,
                new CompositionSpec.Layout("pip", corner, sizePercent / 100.0, null)));
        assertThat(ps).hasSize(n);
        assertThat(ps.get(0).input()).isZero();
        assertThat(ps.get(0).cell()).isEqualTo(new Box(0, 0, w, h));
        List<Placement> insets = ps.subList(1, n);
        assertInsideEvenAndDisjoint(insets, w, h);
        for (Placement p : insets) {
            assertThat(p.z()).isGreaterThan(ps.get(0).z());
            assertThat(p.cell().width()).isLessThanOrEqualTo((int) (w * sizePercent / 100.0));
        }
        if (n > 1) {
            // The first inset touches the chosen corner's margin.
            Box first = insets.get(0).cell();
            int margin = Box.evenFloor((int) Math.round(Math.min(w, h) * LayoutEngine.PIP_MARGIN));
            assertThat(corner.endsWith("right") ? w - first.right() : first.x()).isEqualTo(margin);
            assertThat(corner.startsWith("bottom") ? h - first.bottom() : first.y()).isEqualTo(margin);
        }
    }

    @Property(tries = 200)
    void letterboxKeepsAspectAndStaysInsideTheCell(@ForAll("evenWidth") int cw, @ForAll("evenHeight") int ch,
                                                   @ForAll @IntRange(min = 16, max = 3840) int sw,
                                                   @ForAll @IntRange(min = 16, max = 2160) int sh) {
        Box cell = new Box(10, 20, cw, ch);
        Box fit = cell.fit(sw, sh);
        assertThat(fit.isEven()).isTrue();
        assertThat(fit.x()).isGreaterThanOrEqualTo(cell.x());
        assertThat(fit.y()).isGreaterThanOrEqualTo(cell.y());
        assertThat(fit.right()).isLessThanOrEqualTo(cell.right());
        assertThat(fit.bottom()).isLessThanOrEqualTo(cell.bottom());
        // One side fills the cell (up to even rounding); the aspect ratio is kept within rounding error.
        assertThat(Math.min(cw - fit.width(), ch - fit.height())).isLessThanOrEqualTo(2);
        // Aspect kept within the rounding of each side to even pixels (a sliver of 2 px cannot keep it).
        if (Math.min(fit.width(), fit.height()) > 8) {
            double want = (double) sw / sh, got = (double) fit.width() / fit.height();
            assertThat(Math.abs(got - want) / want).isLessThan(3.0 / fit.width() + 3.0 / fit.height());
        }
    }

    @Test
    void gridShapesFollowTheInputCount() {
        assertThat(cells(1)).containsExactly(new Box(0, 0, 1280, 720));
        assertThat(cells(2)).containsExactly(new Box(0, 0, 640, 720), new Box(640, 0, 640, 720));
        assertThat(cells(4)).containsExactly(new Box(0, 0, 640, 360), new Box(640, 0, 640, 360),
                new Box(0, 360, 640, 360), new Box(640, 360, 640, 360));
        // Three inputs: 2x2 with the lone input of the last row centred.
        assertThat(cells(3).get(2)).isEqualTo(new Box(320, 360, 640, 360));
        assertThat(cells(9)).hasSize(9).allMatch(b -> b.width() == 426 && b.height() == 240);
    }

    @Test
    void freeRectsAreDrawnInZOrder() {
        CompositionSpec s = spec(3, 1280, 720, new CompositionSpec.Layout("free", null, null, List.of(
                new CompositionSpec.Rect(0, 0, 0, 1280, 720, 5),
                new CompositionSpec.Rect(1, 100, 100, 320, 180, 9),
                new CompositionSpec.Rect(2, 200, 150, 320, 180, 1))));
        List<Placement> ps = LayoutEngine.place(s);
        assertThat(ps).extracting(Placement::input).containsExactly(2, 0, 1);
        assertThat(ps.get(2).cell()).isEqualTo(new Box(100, 100, 320, 180));
    }

    private static List<Box> cells(int n) {
        return LayoutEngine.place(spec(n, 1280, 720, new CompositionSpec.Layout("grid", null, null, null)))
                .stream().map(Placement::cell).toList();
    }

    private static void assertInsideEvenAndDisjoint(List<Placement> ps, int w, int h) {
        for (int i = 0; i < ps.size(); i++) {
            Box a = ps.get(i).cell();
            assertThat(a.within(w, h)).as("%s inside %dx%d", a, w, h).isTrue();
            assertThat(a.isEven()).as("%s even", a).isTrue();
            for (int j = i + 1; j < ps.size(); j++) {
                assertThat(a.intersects(ps.get(j).cell())).as("%s vs %s", a, ps.get(j).cell()).isFalse();
            }
        }
    }
}
