package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;

/** An agent's {@code /metrics} page in tests: fetch it, read one sample off it, wait until it shows something. */
final class MetricsPage {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** How long {@link #await} waits, and how often it looks again meanwhile (not a busy loop on a 2-core machine). */
    static final Duration WAIT = Duration.ofSeconds(30);

    private static final Duration RECHECK = Duration.ofMillis(100);

    private MetricsPage() {}

    /** The page as the agent serves it now. */
    static String get(SerfAgent agent) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** The value of {@code series} (its name and labels, as the page writes them) in {@code text}. */
    static double sample(String text, String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), series + " not in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    /** The page once {@code shows} holds for it, fetched again every 100 ms for at most {@link #WAIT}. */
    static String await(ActorSystem<?> system, SerfAgent agent, Predicate<String> shows) {
        return TestProbe.<String>create(system).awaitAssert(WAIT, RECHECK, () -> {
            String text = get(agent);
            assertTrue(shows.test(text), "the metrics never showed what was expected:\n" + text);
            return text;
        });
    }
}
