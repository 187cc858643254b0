package io.murmur.simulation;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The few drawing operations a {@link Plots} figure needs, in pixels from the top-left corner, so that one layout is
 * drawn the same way to a PNG ({@link PngCanvas}) and to an SVG ({@link SvgCanvas}). Colours are {@code 0xRRGGBB}.
 */
interface FigureCanvas {

    /** Where a text's x coordinate is: at its start, its middle or its end. */
    enum Anchor {
        START,
        MIDDLE,
        END
    }

    /** How a text is set. */
    enum Style {
        PLAIN,
        BOLD,
        ITALIC
    }

    void line(double x1, double y1, double x2, double y2, int rgb, float width, boolean dashed);

    void fillRect(double x, double y, double width, double height, int rgb);

    void strokeRect(double x, double y, double width, double height, int rgb);

    /** One data series: a polyline through {@code n} vertices. */
    void curve(double[] xs, double[] ys, int n, int rgb, float width);

    /** A line of text whose baseline is at {@code y}. */
    void text(String text, double x, double y, float size, Style style, Anchor anchor, int rgb);

    /** A line of text turned a quarter left (read bottom to top), centred on {@code (x, y)}, baseline at x. */
    void verticalText(String text, double x, double y, float size, int rgb);

    /** The width of a text, exact or a close upper estimate. */
    double textWidth(String text, float size, Style style);

    void writeTo(Path file) throws IOException;
}
