package io.murmur.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.MembershipConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PlotsTest {

    private static final String HASH = "00c0ffee12345678";

    @TempDir
    Path dir;

    /** {@code nodes} learn of the change evenly between {@code first} and {@code last} seconds; {@code missed} never. */
    private static Curve curve(int nodes, double first, double last, int missed) {
        long[] times = new long[nodes - missed];
        for (int i = 0; i < times.length; i++) {
            double t = first + (last - first) * i / Math.max(1, times.length - 1);
            times[i] = (long) (t * 1e9);
        }
        return new Curve(times, nodes);
    }

    private static RunResult run(String scenario, long seed, MembershipConfig config, Curve converge, Curve detect) {
        return new RunResult(
                scenario, 100, seed, config, 60, 0.5, 12_345, HASH, converge, detect, 0, 0, 0, 0, 10, 1_000, 3, 64);
    }

    private static List<RunResult> threeRuns(String scenario) {
        MembershipConfig lan = MembershipConfig.lan();
        MembershipConfig noLifeguard = lan.toBuilder().lifeguard(false).build();
        return List.of(
                run(scenario, 1, lan, curve(100, 0.1, 1.0, 0), curve(100, 2.0, 4.0, 0)),
                run(scenario, 2, lan, curve(100, 0.5, 2.5, 0), null),
                run(scenario, 3, noLifeguard, curve(100, 1.0, 4.0, 5), curve(100, 5.0, 9.0, 0)));
    }

    private static int pixelsOf(BufferedImage image, int rgb, int fromX, int toX, int fromY) {
        int count = 0;
        for (int y = fromY; y < image.getHeight(); y++) {
            for (int x = fromX; x < toX; x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }

    private static Document parse(Path svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(svg.toFile());
    }

    private static List<Element> elements(Document doc, String name) {
        NodeList nodes = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", name);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static List<String> texts(Document doc) {
        return elements(doc, "text").stream().map(Element::getTextContent).toList();
    }

    @Test
    void pngIsTheFigureSizeWithEachRunsColourInThePanelsWhereItHasACurve() throws IOException {
        Path file = dir.resolve("runs.png");
        Plots.write(file, threeRuns("crash-one"));

        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "a PNG ImageIO can decode");
        assertEquals(Plots.WIDTH, image.getWidth());
        assertEquals(Plots.HEIGHT, image.getHeight());
        // Below the legend: only the curves themselves are drawn in run colours there.
        int below = 100;
        int half = Plots.WIDTH / 2;
        for (int run = 0; run < 3; run++) {
            int left = pixelsOf(image, Plots.colour(run), 0, half, below);
            assertTrue(left > 200, "run " + run + " has a convergence line: " + left + " pixels");
        }
        assertTrue(pixelsOf(image, Plots.colour(0), half, Plots.WIDTH, below) > 200);
        assertEquals(0, pixelsOf(image, Plots.colour(1), half, Plots.WIDTH, below), "run 1 has no detection curve");
        assertTrue(pixelsOf(image, Plots.colour(2), half, Plots.WIDTH, below) > 200);
        // The legend swatches are in the band between the title and the panels.
        for (int run = 0; run < 3; run++) {
            assertTrue(pixelsOf(image, Plots.colour(run), 0, Plots.WIDTH, 0)
                    > pixelsOf(image, Plots.colour(run), 0, Plots.WIDTH, below));
        }
    }

    @Test
    void svgIsXmlWithOnePathPerCurveTheTitleAndTheLegend() throws Exception {
        Path file = dir.resolve("runs.svg");
        String scenario = "partition & heal <2 sides>";
        Plots.write(file, threeRuns(scenario));

        Document doc = parse(file);
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertEquals("1000", doc.getDocumentElement().getAttribute("width"));
        List<Element> curves = elements(doc, "path").stream()
                .filter(p -> p.getAttribute("class").equals("curve"))
                .toList();
        assertEquals(5, curves.size(), "three convergence curves and two detection curves");
        Set<String> strokes = new HashSet<>();
        curves.forEach(p -> strokes.add(p.getAttribute("stroke")));
        assertEquals(Set.of("#1f77b4", "#ff7f0e", "#2ca02c"), strokes, "one colour per run");

        List<String> texts = texts(doc);
        assertTrue(texts.contains(Plots.title(threeRuns(scenario).get(0))), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.contains(scenario) && t.contains(HASH) && t.contains("100 nodes")));
        assertTrue(texts.stream().anyMatch(t -> t.contains("lan profile")));
        assertTrue(texts.containsAll(List.of("Convergence", "Failure detection", "seed 1", "seed 2")));
        assertTrue(texts.contains("seed 3, lifeguard off"));
        assertTrue(texts.containsAll(List.of("99 %", "50 %", "100 %", "seconds after the change")));
        assertFalse(texts.contains("no failure in this scenario"));
    }

    @Test
    void aScenarioWithoutAFailureSaysSoInTheDetectionPanel() throws Exception {
        MembershipConfig lan = MembershipConfig.lan();
        List<RunResult> runs = List.of(
                run("join-one", 1, lan, curve(50, 0.2, 1.5, 0), null),
                run("join-one", 2, lan, curve(50, 0.3, 1.2, 0), null));

        Path svg = dir.resolve("join.svg");
        Plots.write(svg, runs);
        Document doc = parse(svg);
        assertTrue(texts(doc).contains("no failure in this scenario"));
        assertEquals(2, elements(doc, "path").size());

        Path png = dir.resolve("join.png");
        Plots.write(png, runs);
        BufferedImage image = ImageIO.read(png.toFile());
        for (int run = 0; run < 2; run++) {
            assertEquals(0, pixelsOf(image, Plots.colour(run), Plots.WIDTH / 2, Plots.WIDTH, 100));
        }
    }

    @Test
    void aScenarioWithoutATrackedChangeSaysSoInTheConvergencePanel() throws Exception {
        Path svg = dir.resolve("crash.svg");
        Plots.write(svg, List.of(run("crash-one", 7, MembershipConfig.lan(), null, curve(10, 1, 2, 0))));
        List<String> texts = texts(parse(svg));
        assertTrue(texts.contains("no tracked change in this scenario"));
        assertFalse(texts.contains("no failure in this scenario"));
    }

    @Test
    void onlyPngAndSvgNamesAreAccepted() {
        List<RunResult> runs = threeRuns("crash-one");
        for (String name : List.of("runs.jpg", "runs", "runs.svg.txt", "png")) {
            Path file = dir.resolve(name);
            assertThrows(IllegalArgumentException.class, () -> Plots.write(file, runs), name);
            assertFalse(Files.exists(file), name);
        }
    }

    @Test
    void upperCaseExtensionsAreAccepted() throws Exception {
        Plots.write(dir.resolve("RUNS.PNG"), threeRuns("crash-one"));
        assertNotNull(ImageIO.read(dir.resolve("RUNS.PNG").toFile()));
        Plots.write(dir.resolve("RUNS.SVG"), threeRuns("crash-one"));
        parse(dir.resolve("RUNS.SVG"));
    }

    @Test
    void noRunsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Plots.write(dir.resolve("none.png"), List.of()));
    }

    @Test
    void aTenThousandNodeCurveIsDrawnFromAtMostTwoVerticesPerPixelColumn() throws Exception {
        MembershipConfig lan = MembershipConfig.lan();
        List<RunResult> runs = List.of(run("big", 1, lan, curve(10_000, 0.01, 6.0, 3), curve(10_000, 1.0, 8.0, 0)));

        Path png = dir.resolve("big.png");
        Plots.write(png, runs);
        assertEquals(Plots.WIDTH, ImageIO.read(png.toFile()).getWidth());

        Path svg = dir.resolve("big.svg");
        Plots.write(svg, runs);
        for (Element path : elements(parse(svg), "path")) {
            long vertices = path.getAttribute("d")
                    .chars()
                    .filter(c -> c == 'M' || c == 'L')
                    .count();
            assertTrue(vertices <= 2 * (Plots.WIDTH / 2) + 4, vertices + " vertices");
        }
    }

    @Test
    void aStepLineRisesAtEachTimeAndHoldsItsLastLevelToTheEnd() {
        double[][] points = {{1, 0.25}, {1.04, 0.5}, {2, 1.0}};
        StepLine line = StepLine.trace(points, t -> 10 * t, f -> 100 - 100 * f, 3);

        double[] xs = {0, 10, 10, 20, 20, 30};
        double[] ys = {100, 100, 50, 50, 0, 0};
        assertEquals(xs.length, line.size());
        for (int i = 0; i < xs.length; i++) {
            assertEquals(xs[i], line.xs()[i], 1e-9, "x of vertex " + i);
            assertEquals(ys[i], line.ys()[i], 1e-9, "y of vertex " + i);
        }
    }

    @Test
    void aCurveThatNobodyReachedIsAFlatLineAtZero() {
        StepLine line = StepLine.trace(new double[0][], t -> 10 * t, f -> 100 - 100 * f, 3);
        assertEquals(2, line.size());
        assertEquals(30, line.xs()[1], 1e-9);
        assertEquals(100, line.ys()[1], 1e-9);
    }

    @Test
    void theTimeAxisEndsPastTheLastTimeOnAWholeTick() {
        Plots.Axis seconds = Plots.Axis.covering(4.3);
        assertEquals(1, seconds.step(), 1e-12);
        assertEquals(5, seconds.end(), 1e-12);
        assertEquals("3", seconds.label(3));

        Plots.Axis millis = Plots.Axis.covering(0.0123);
        assertEquals(0.005, millis.step(), 1e-12);
        assertEquals(0.015, millis.end(), 1e-12);
        assertEquals("0.010", millis.label(2));

        Plots.Axis exact = Plots.Axis.covering(5.0);
        assertTrue(exact.end() > 5.0, "a margin after the last time");

        assertEquals(1.2, Plots.Axis.covering(0).end(), 1e-12, "all at time 0: about a second");
    }

    @Test
    void manyRunsStillGetDistinctColours() {
        Set<Integer> colours = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            colours.add(Plots.colour(i));
        }
        assertEquals(40, colours.size());
    }
}
