package io.murmur.agent.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Mdns} over JmDNS: one responder per address it is given (an interface's IPv4 and IPv6 address). */
public final class JmdnsMdns implements Mdns {

    /** How long a poll listens for answers (hashicorp/mdns's default query timeout). */
    static final int POLL_TIMEOUT_MS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(JmdnsMdns.class);

    private final List<JmDNS> responders;

    private JmdnsMdns(List<JmDNS> responders) {
        this.responders = responders;
    }

    /**
     * Starts a responder on each of {@code addresses}, named {@code host} on the link ({@code host.local.}).
     *
     * @throws IOException when one cannot start (its multicast socket); the ones started are closed again
     */
    public static JmdnsMdns open(List<InetAddress> addresses, String host) throws IOException {
        List<JmDNS> started = new ArrayList<>();
        try {
            for (InetAddress address : addresses) {
                started.add(JmDNS.create(address, hostLabel(host)));
            }
        } catch (IOException e) {
            started.forEach(JmdnsMdns::closeQuietly);
            throw e;
        }
        return new JmdnsMdns(List.copyOf(started));
    }

    /** {@code name} as one DNS label: letters, digits and hyphens. */
    static String hostLabel(String name) {
        String label = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return label.length() > 63 ? label.substring(0, 63) : label;
    }

    @Override
    public void advertise(Service service) throws IOException {
        for (JmDNS responder : responders) {
            responder.registerService(
                    ServiceInfo.create(service.type(), service.instance(), service.port(), service.text()));
        }
    }

    @Override
    public void browse(String type, Consumer<Found> found) {
        for (JmDNS responder : responders) {
            responder.addServiceListener(type, new ServiceListener() {
                @Override
                public void serviceAdded(ServiceEvent event) {
                    responder.requestServiceInfo(event.getType(), event.getName());
                }

                @Override
                public void serviceRemoved(ServiceEvent event) {
                    // a node that leaves is the membership layer's news, not discovery's
                }

                @Override
                public void serviceResolved(ServiceEvent event) {
                    found.accept(found(event.getInfo()));
                }
            });
        }
    }

    @Override
    public List<Found> poll(String type) {
        List<Found> all = new ArrayList<>();
        for (JmDNS responder : responders) {
            for (ServiceInfo info : responder.list(type, POLL_TIMEOUT_MS)) {
                all.add(found(info));
            }
        }
        return all;
    }

    private static Found found(ServiceInfo info) {
        return new Found(info.getName(), List.of(info.getInetAddresses()), info.getPort());
    }

    /** Closes the responders together: each says goodbye for its service and waits about 2 s for that to go out. */
    @Override
    public void close() {
        List<Thread> closing = new ArrayList<>();
        for (JmDNS responder : responders) {
            Thread t = new Thread(() -> closeQuietly(responder), "mdns-close-" + responder.getName());
            t.start();
            closing.add(t);
        }
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(JmDNS responder) {
        try {
            responder.close(); // unregisters its services first
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the mDNS responder", e);
        }
    }
}
