package io.murmur.serf.coordinate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyFilterTest {

    @Test
    void returnsTheMovingMedianOfTheLastSamples() {
        LatencyFilter filter = new LatencyFilter(3);
        assertEquals(5.0, filter.add(5.0), "one sample: itself");
        assertEquals(5.0, filter.add(1.0), "two samples: the upper median");
        assertEquals(3.0, filter.add(3.0), "{5, 1, 3}");
        assertEquals(3.0, filter.add(10.0), "{1, 3, 10}: the 5 has left the window");
        assertEquals(3.0, filter.add(0.0), "{3, 10, 0}");
        assertEquals(10.0, filter.add(20.0), "{10, 0, 20}");
    }

    @Test
    void aSingleOutlierDoesNotMoveTheMedian() {
        LatencyFilter filter = new LatencyFilter(3);
        filter.add(0.010);
        filter.add(0.011);
        assertEquals(0.011, filter.add(0.500));
        assertEquals(0.011, filter.add(0.010), "{0.011, 0.500, 0.010}");
    }

    @Test
    void aFilterOfOneIsTheLastSample() {
        LatencyFilter filter = new LatencyFilter(1);
        assertEquals(2.0, filter.add(2.0));
        assertEquals(7.0, filter.add(7.0));
    }
}
