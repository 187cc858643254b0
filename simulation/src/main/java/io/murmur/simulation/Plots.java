package io.murmur.simulation;

import io.murmur.simulation.FigureCanvas.Anchor;
import io.murmur.simulation.FigureCanvas.Style;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Draws simulation runs as one figure of two panels side by side, to look at instead of reading JSON.
 *
 * <p><b>Convergence</b>: for every run with a convergence curve, the fraction of nodes that know of the change against
 * seconds after it. <b>Failure detection</b>: for every run with a detection curve, the fraction of nodes that have
 * declared the victim failed against seconds after the crash. Each curve is a step line, one colour per run (the same
 * in both panels, named in a shared legend: "seed S", plus "lifeguard off" when it was off); dashed guides mark 50 %,
 * 99 % and 100 %. The title names the scenario, cluster size, profile and the first run's trace hash.
 */
public final class Plots {

    static final int WIDTH = 1000;
    static final int HEIGHT = 500;

    /** Tableau 10 without its grey (which the guides use); later runs get hues spread by the golden angle. */
    private static final int[] PALETTE = {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0xbcbd22, 0x17becf
    };

    private static final int INK = 0x222222;
    private static final int AXIS = 0x555555;
    private static final int GRID = 0xececec;
    private static final int GUIDE = 0x999999;
    private static final int NOTE = 0x888888;
    private static final double[] GUIDES = {0.5, 0.99, 1.0};
    private static final float CURVE_WIDTH = 2f;

    /** Room above 100 % and below 0 %, so a curve that sits there is not hidden by the frame. */
    private static final double HEADROOM = 12;

    private static final double FOOTROOM = 6;

    private static final int LEGEND_ROW = 18;
    private static final int LEGEND_MAX_ROWS = 2;

    private Plots() {}

    /**
     * Writes a figure of the runs to {@code file}: PNG if the name ends in .png, SVG if .svg (either case).
     *
     * @param runs at least one; the title is taken from the first
     * @throws IllegalArgumentException for another file name, or no runs
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, List<RunResult> runs) throws IOException {
        boolean png = isPng(file);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to draw");
        }
        String title = title(runs.get(0));
        FigureCanvas canvas = png ? new PngCanvas(WIDTH, HEIGHT) : new SvgCanvas(WIDTH, HEIGHT, title);
        draw(canvas, title, runs);
        canvas.writeTo(file);
    }

    /**
     * Whether {@code file} names a PNG (else an SVG). A command can call this before a long run, to reject a bad name
     * at once.
     *
     * @throws IllegalArgumentException if the name ends in neither .png nor .svg
     */
    static boolean isPng(Path file) {
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".png") && !lower.endsWith(".svg")) {
            throw new IllegalArgumentException("a figure is written as .png or .svg, not " + file);
        }
        return lower.endsWith(".png");
    }

    /** The colour of the {@code index}-th run. */
    static int colour(int index) {
        if (index < PALETTE.length) {
            return PALETTE[index];
        }
        float hue = (float) ((index - PALETTE.length) * 0.618033988749895 % 1.0);
        return Color.HSBtoRGB(hue, 0.7f, 0.8f) & 0xFFFFFF;
    }

    static String title(RunResult first) {
        return String.format(
                Locale.ROOT,
                "%s  —  %,d nodes, %s profile, trace %s",
                first.scenario(),
                first.nodes(),
                first.config().profile(),
                first.traceHash());
    }

    static String label(RunResult run, RunResult first) {
        StringBuilder s = new StringBuilder("seed ").append(run.seed());
        if (!run.config().lifeguard()) {
            s.append(", lifeguard off");
        }
        if (!run.config().profile().equals(first.config().profile())) {
            s.append(", ").append(run.config().profile());
        }
        return s.toString();
    }

    private static void draw(FigureCanvas canvas, String title, List<RunResult> runs) {
        canvas.text(title, WIDTH / 2.0, 26, 16, Style.BOLD, Anchor.MIDDLE, INK);
        double top = legend(canvas, runs, 44);
        int half = WIDTH / 2;
        panel(
                canvas,
                new PanelText("Convergence", "seconds after the change", "no tracked change in this scenario"),
                series(runs, RunResult::convergence),
                0,
                top,
                half);
        panel(
                canvas,
                new PanelText("Failure detection", "seconds after the crash", "no failure in this scenario"),
                series(runs, RunResult::detection),
                half,
                top,
                WIDTH - half);
    }

    private record PanelText(String title, String xLabel, String empty) {}

    /** A curve as {@link Curve#points()}, taken once, and its run's colour. */
    private record Series(double[][] points, int rgb) {}

    private static List<Series> series(List<RunResult> runs, Function<RunResult, Curve> curve) {
        List<Series> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Curve c = curve.apply(runs.get(i));
            if (c != null && c.total() > 0) {
                out.add(new Series(c.points(), colour(i)));
            }
        }
        return out;
    }

    /**
     * One legend for both panels, centred in rows under the title; runs beyond {@link #LEGEND_MAX_ROWS} rows are
     * counted, not named. Returns where the panels start.
     */
    private static double legend(FigureCanvas canvas, List<RunResult> runs, double top) {
        float size = 12;
        double swatch = 22;
        double gap = 6;
        double spacing = 22;
        double maxWidth = WIDTH - 80;
        List<List<Integer>> rows = new ArrayList<>();
        List<Double> rowWidths = new ArrayList<>();
        List<Integer> row = new ArrayList<>();
        double width = 0;
        int shown = 0;
        for (int i = 0; i < runs.size(); i++) {
            double w = swatch + gap + canvas.textWidth(label(runs.get(i), runs.get(0)), size, Style.PLAIN);
            double needed = row.isEmpty() ? w : width + spacing + w;
            if (needed > maxWidth && !row.isEmpty()) {
                if (rows.size() + 1 == LEGEND_MAX_ROWS) {
                    break;
                }
                rows.add(row);
                rowWidths.add(width);
                row = new ArrayList<>();
                needed = w;
            }
            row.add(i);
            width = needed;
            shown++;
        }
        rows.add(row);
        rowWidths.add(width);
        String more = shown < runs.size() ? "+ " + (runs.size() - shown) + " more" : null;
        for (int r = 0; r < rows.size(); r++) {
            double extra =
                    r == rows.size() - 1 && more != null ? spacing + canvas.textWidth(more, size, Style.ITALIC) : 0;
            double x = (WIDTH - rowWidths.get(r) - extra) / 2;
            double baseline = top + r * LEGEND_ROW + size;
            for (int i : rows.get(r)) {
                String text = label(runs.get(i), runs.get(0));
                canvas.line(x, baseline - 4, x + swatch, baseline - 4, colour(i), 3f, false);
                canvas.text(text, x + swatch + gap, baseline, size, Style.PLAIN, Anchor.START, INK);
                x += swatch + gap + canvas.textWidth(text, size, Style.PLAIN) + spacing;
            }
            if (extra > 0) {
                canvas.text(more, x, baseline, size, Style.ITALIC, Anchor.START, NOTE);
            }
        }
        return top + rows.size() * LEGEND_ROW + 6;
    }

    /** One panel in the band {@code [left, left + width)} from {@code top} down to the figure's bottom. */
    private static void panel(
            FigureCanvas canvas, PanelText text, List<Series> series, double left, double top, double width) {
        double plotLeft = left + 66;
        double plotTop = top + 26;
        double plotWidth = width - 66 - 24;
        double plotBottom = HEIGHT - 62;
        double plotHeight = plotBottom - plotTop;
        double centreX = plotLeft + plotWidth / 2;
        canvas.text(text.title(), centreX, top + 14, 14, Style.BOLD, Anchor.MIDDLE, INK);
        if (series.isEmpty()) {
            canvas.fillRect(plotLeft, plotTop, plotWidth, plotHeight, 0xfafafa);
            canvas.strokeRect(plotLeft, plotTop, plotWidth, plotHeight, GRID);
            canvas.text(text.empty(), centreX, plotTop + plotHeight / 2, 14, Style.ITALIC, Anchor.MIDDLE, NOTE);
            return;
        }

        double last = 0;
        for (Series s : series) {
            double[][] p = s.points();
            if (p.length > 0) {
                last = Math.max(last, p[p.length - 1][0]);
            }
        }
        Axis axis = Axis.covering(last);
        double scale = plotWidth / axis.end();
        double zero = plotBottom - FOOTROOM;
        double usable = plotHeight - HEADROOM - FOOTROOM;

        // Grid first, data over it, frame and labels last.
        for (int k = 0; k <= axis.ticks(); k++) {
            double x = plotLeft + k * axis.step() * scale;
            canvas.line(x, plotTop, x, plotBottom, GRID, 1f, false);
            canvas.line(x, plotBottom, x, plotBottom + 5, AXIS, 1f, false);
            canvas.text(axis.label(k), x, plotBottom + 19, 12, Style.PLAIN, Anchor.MIDDLE, INK);
        }
        for (int k = 0; k <= 4; k++) {
            double y = zero - k * 0.25 * usable;
            canvas.line(plotLeft, y, plotLeft + plotWidth, y, GRID, 1f, false);
            canvas.line(plotLeft - 5, y, plotLeft, y, AXIS, 1f, false);
            canvas.text(k * 25 + " %", plotLeft - 9, y + 4, 12, Style.PLAIN, Anchor.END, INK);
        }
        for (double g : GUIDES) {
            double y = zero - g * usable;
            canvas.line(plotLeft, y, plotLeft + plotWidth, y, GUIDE, 1f, true);
        }
        // 50 % and 100 % are labelled on the axis; 99 % sits too close to 100 % for that, so it is named on its line.
        canvas.text("99 %", plotLeft + plotWidth - 4, zero - 0.99 * usable + 13, 10, Style.PLAIN, Anchor.END, AXIS);

        for (Series s : series) {
            StepLine line = StepLine.trace(s.points(), t -> plotLeft + t * scale, f -> zero - f * usable, axis.end());
            canvas.curve(line.xs(), line.ys(), line.size(), s.rgb(), CURVE_WIDTH);
        }

        canvas.strokeRect(plotLeft, plotTop, plotWidth, plotHeight, AXIS);
        canvas.text(text.xLabel(), centreX, HEIGHT - 16, 13, Style.PLAIN, Anchor.MIDDLE, INK);
        canvas.verticalText("fraction of nodes", left + 20, plotTop + plotHeight / 2, 13, INK);
    }

    /**
     * The x axis: from 0 to the last time plus a margin, rounded up to a whole tick of 1, 2 or 5 times a power of ten.
     */
    record Axis(double step, int ticks) {

        static Axis covering(double lastSeconds) {
            double last = lastSeconds > 0 ? lastSeconds : 1;
            double wanted = last * 1.04;
            double raw = wanted / 6;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double r = raw / magnitude;
            double step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * magnitude;
            int ticks = (int) Math.ceil(wanted / step - 1e-9);
            return new Axis(step, Math.max(ticks, 1));
        }

        double end() {
            return step * ticks;
        }

        String label(int k) {
            int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
            return String.format(Locale.ROOT, "%." + decimals + "f", k * step);
        }
    }
}
