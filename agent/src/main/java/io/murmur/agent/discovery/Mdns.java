package io.murmur.agent.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;

/** What mDNS discovery needs of an mDNS responder and browser ({@link JmdnsMdns}; tests use a fake). */
interface Mdns extends AutoCloseable {

    /** A service to announce: {@code instance} of {@code type} (fully qualified, {@code _serf_x._tcp.local.}). */
    record Service(String type, String instance, int port, String text) {}

    /** A resolved instance of a browsed service type. */
    record Found(String instance, List<InetAddress> addresses, int port) {}

    /** Announces {@code service} and answers queries for it until closed. */
    void advertise(Service service) throws IOException;

    /** Hands every instance of {@code type} resolved from now on to {@code found}, on the responder's threads. */
    void browse(String type, Consumer<Found> found);

    /** Asks the network for {@code type}'s instances again, blocking a short while, and returns those resolved. */
    List<Found> poll(String type);

    /** Withdraws the service and stops. */
    @Override
    void close();
}
