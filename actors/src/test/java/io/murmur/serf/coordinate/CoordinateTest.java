package io.murmur.serf.coordinate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoordinateTest {

    private static final double MS = 1e-3;
    private static final double EPS = 1e-12;

    private static Coordinate at(double x, double y, double adjustment, double height) {
        return new Coordinate(new double[] {x, y}, 0.5, adjustment, height);
    }

    @Test
    void distanceIsTheEuclideanDistancePlusBothHeights() {
        Coordinate a = at(0, 0, 0, 1 * MS);
        Coordinate b = at(3 * MS, 4 * MS, 0, 2 * MS);
        // ‖(3, 4)‖ = 5 ms, + 1 ms + 2 ms
        assertEquals(8 * MS, a.distanceSecondsTo(b), EPS);
        assertEquals(8 * MS, b.distanceSecondsTo(a), EPS, "symmetric");
        assertEquals(Duration.ofMillis(8), a.distanceTo(b));
    }

    @Test
    void adjustmentsAreAddedWhenTheSumStaysPositive() {
        Coordinate a = at(0, 0, 1 * MS, 1 * MS);
        Coordinate b = at(3 * MS, 4 * MS, -0.5 * MS, 2 * MS);
        assertEquals(8.5 * MS, a.distanceSecondsTo(b), EPS);
    }

    @Test
    void adjustmentsThatWouldMakeTheEstimateZeroOrNegativeAreIgnored() {
        Coordinate a = at(0, 0, -5 * MS, 1 * MS);
        Coordinate b = at(3 * MS, 4 * MS, -4 * MS, 2 * MS);
        assertEquals(8 * MS, a.distanceSecondsTo(b), EPS, "8 − 9 < 0: the raw distance");
        Coordinate c = at(3 * MS, 4 * MS, -3 * MS, 2 * MS);
        assertEquals(8 * MS, a.distanceSecondsTo(c), EPS, "8 − 8 = 0 is not positive either");
    }

    @Test
    void aCoordinateIsAtZeroDistanceFromItselfApartFromItsHeight() {
        Coordinate a = at(7 * MS, -2 * MS, 0, 0.25 * MS);
        assertEquals(0.5 * MS, a.distanceSecondsTo(a), EPS);
    }

    @Test
    void theVectorIsCopiedOnTheWayInAndOut() {
        double[] vec = {1.0, 2.0};
        Coordinate c = new Coordinate(vec, 1.5, 0, 1e-5);
        vec[0] = 99.0;
        c.vec()[1] = 99.0;
        assertArrayEquals(new double[] {1.0, 2.0}, c.vec());
    }

    @Test
    void equalityComparesTheVectorByContent() {
        Coordinate a = new Coordinate(new double[] {1.0, 2.0}, 1.5, 0.1, 1e-5);
        Coordinate b = new Coordinate(new double[] {1.0, 2.0}, 1.5, 0.1, 1e-5);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new Coordinate(new double[] {1.0, 2.5}, 1.5, 0.1, 1e-5));
        assertNotEquals(a, new Coordinate(new double[] {1.0, 2.0}, 1.4, 0.1, 1e-5));
        assertTrue(a.toString().contains("[1.0, 2.0]"));
    }

    @Test
    void validityRequiresFiniteNumbersAndNoNegativeErrorOrHeight() {
        assertTrue(at(1, 2, -3, 0).isValid(), "a negative adjustment is fine");
        assertFalse(at(Double.NaN, 0, 0, 0).isValid());
        assertFalse(at(0, Double.POSITIVE_INFINITY, 0, 0).isValid());
        assertFalse(at(0, 0, Double.NaN, 0).isValid());
        assertFalse(at(0, 0, 0, Double.NEGATIVE_INFINITY).isValid());
        assertFalse(at(0, 0, 0, -1e-6).isValid());
        assertFalse(new Coordinate(new double[2], -0.1, 0, 0).isValid());
        assertFalse(new Coordinate(new double[2], Double.NaN, 0, 0).isValid());
    }

    @Test
    void coordinatesOfDifferentDimensionalityAreIncompatible() {
        Coordinate two = at(0, 0, 0, 0);
        Coordinate three = new Coordinate(new double[3], 1.5, 0, 0);
        assertTrue(two.isCompatibleWith(at(1, 1, 0, 0)));
        assertFalse(two.isCompatibleWith(three));
        assertThrows(IllegalArgumentException.class, () -> two.distanceSecondsTo(three));
    }

    @Test
    void theInitialCoordinateIsTheOriginWithMaxErrorAndMinHeight() {
        Coordinate c = Coordinate.initial(VivaldiConfig.defaults());
        assertArrayEquals(new double[8], c.vec());
        assertEquals(1.5, c.error());
        assertEquals(0.0, c.adjustment());
        assertEquals(10e-6, c.height());
    }
}
