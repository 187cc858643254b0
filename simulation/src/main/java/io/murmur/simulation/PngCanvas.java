package io.murmur.simulation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A figure drawn into an in-memory image and written as PNG. Only off-screen drawing, so it works headless without
 * touching any global setting.
 */
final class PngCanvas implements FigureCanvas {

    private static final float[] DASH = {4f, 4f};

    private final BufferedImage image;
    private final Graphics2D g;

    PngCanvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, int rgb, float width, boolean dashed) {
        g.setColor(new Color(rgb));
        g.setStroke(
                dashed
                        ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f)
                        : new BasicStroke(width));
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void fillRect(double x, double y, double width, double height, int rgb) {
        g.setColor(new Color(rgb));
        g.fill(new Rectangle2D.Double(x, y, width, height));
    }

    @Override
    public void strokeRect(double x, double y, double width, double height, int rgb) {
        g.setColor(new Color(rgb));
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(x, y, width, height));
    }

    @Override
    public void curve(double[] xs, double[] ys, int n, int rgb, float width) {
        if (n == 0) {
            return;
        }
        Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO, n);
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < n; i++) {
            path.lineTo(xs[i], ys[i]);
        }
        g.setColor(new Color(rgb));
        Stroke stroke = new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
        g.setStroke(stroke);
        g.draw(path);
    }

    @Override
    public void text(String text, double x, double y, float size, Style style, Anchor anchor, int rgb) {
        Font font = font(size, style);
        double w = g.getFontMetrics(font).getStringBounds(text, g).getWidth();
        double left = switch (anchor) {
            case START -> x;
            case MIDDLE -> x - w / 2;
            case END -> x - w;
        };
        g.setFont(font);
        g.setColor(new Color(rgb));
        g.drawString(text, (float) left, (float) y);
    }

    @Override
    public void verticalText(String text, double x, double y, float size, int rgb) {
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(-Math.PI / 2);
        text(text, 0, 0, size, Style.PLAIN, Anchor.MIDDLE, rgb);
        g.setTransform(saved);
    }

    @Override
    public double textWidth(String text, float size, Style style) {
        return g.getFontMetrics(font(size, style)).getStringBounds(text, g).getWidth();
    }

    @Override
    public void writeTo(Path file) throws IOException {
        g.dispose();
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    private static Font font(float size, Style style) {
        int awtStyle = switch (style) {
            case PLAIN -> Font.PLAIN;
            case BOLD -> Font.BOLD;
            case ITALIC -> Font.ITALIC;
        };
        return new Font(Font.SANS_SERIF, awtStyle, 1).deriveFont(size);
    }
}
