package io.murmur.simulation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A figure written as SVG text. Data series are the only {@code <path>} elements (class {@code curve}); axes, grid and
 * guides are {@code <line>}s, so the file stays easy to read and to check.
 */
final class SvgCanvas implements FigureCanvas {

    /** Average advance of a sans-serif glyph, in ems, rounded up: text is never measured wider than it is drawn. */
    private static final double EM_PER_CHAR = 0.62;

    private final StringBuilder svg = new StringBuilder(16_384);

    SvgCanvas(int width, int height, String title) {
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n")
                .append("<title>")
                .append(escape(title))
                .append("</title>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, int rgb, float width, boolean dashed) {
        svg.append("<line x1=\"")
                .append(num(x1))
                .append("\" y1=\"")
                .append(num(y1))
                .append("\" x2=\"")
                .append(num(x2))
                .append("\" y2=\"")
                .append(num(y2))
                .append("\" stroke=\"")
                .append(colour(rgb))
                .append("\" stroke-width=\"")
                .append(num(width))
                .append('"');
        if (dashed) {
            svg.append(" stroke-dasharray=\"4 4\"");
        }
        svg.append(" shape-rendering=\"crispEdges\"/>\n");
    }

    @Override
    public void fillRect(double x, double y, double width, double height, int rgb) {
        rect(x, y, width, height).append(" fill=\"").append(colour(rgb)).append("\"/>\n");
    }

    @Override
    public void strokeRect(double x, double y, double width, double height, int rgb) {
        rect(x, y, width, height)
                .append(" fill=\"none\" stroke=\"")
                .append(colour(rgb))
                .append("\" stroke-width=\"1\" shape-rendering=\"crispEdges\"/>\n");
    }

    @Override
    public void curve(double[] xs, double[] ys, int n, int rgb, float width) {
        if (n == 0) {
            return;
        }
        svg.append("<path class=\"curve\" fill=\"none\" stroke=\"")
                .append(colour(rgb))
                .append("\" stroke-width=\"")
                .append(num(width))
                .append("\" stroke-linejoin=\"round\" d=\"M")
                .append(num(xs[0]))
                .append(' ')
                .append(num(ys[0]));
        for (int i = 1; i < n; i++) {
            svg.append(" L").append(num(xs[i])).append(' ').append(num(ys[i]));
        }
        svg.append("\"/>\n");
    }

    @Override
    public void text(String text, double x, double y, float size, Style style, Anchor anchor, int rgb) {
        svg.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append('"');
        textAttributes(size, style, anchor, rgb)
                .append('>')
                .append(escape(text))
                .append("</text>\n");
    }

    @Override
    public void verticalText(String text, double x, double y, float size, int rgb) {
        svg.append("<text transform=\"translate(")
                .append(num(x))
                .append(' ')
                .append(num(y))
                .append(") rotate(-90)\"");
        textAttributes(size, Style.PLAIN, Anchor.MIDDLE, rgb)
                .append('>')
                .append(escape(text))
                .append("</text>\n");
    }

    @Override
    public double textWidth(String text, float size, Style style) {
        return text.length() * size * (style == Style.BOLD ? EM_PER_CHAR + 0.05 : EM_PER_CHAR);
    }

    @Override
    public void writeTo(Path file) throws IOException {
        Files.writeString(file, svg + "</svg>\n", StandardCharsets.UTF_8);
    }

    private StringBuilder rect(double x, double y, double width, double height) {
        return svg.append("<rect x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" width=\"")
                .append(num(width))
                .append("\" height=\"")
                .append(num(height))
                .append('"');
    }

    private StringBuilder textAttributes(float size, Style style, Anchor anchor, int rgb) {
        svg.append(" font-size=\"").append(num(size)).append('"');
        switch (style) {
            case BOLD -> svg.append(" font-weight=\"bold\"");
            case ITALIC -> svg.append(" font-style=\"italic\"");
            case PLAIN -> {}
        }
        switch (anchor) {
            case MIDDLE -> svg.append(" text-anchor=\"middle\"");
            case END -> svg.append(" text-anchor=\"end\"");
            case START -> {}
        }
        return svg.append(" fill=\"").append(colour(rgb)).append('"');
    }

    /** One decimal is a tenth of a pixel: enough, and keeps a 10,000-node figure small. */
    private static String num(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }

    private static String colour(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb & 0xFFFFFF);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    // XML 1.0 forbids most control characters even escaped; a name should not hold any.
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
