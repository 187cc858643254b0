package io.murmur.transport.aeron;

import io.murmur.protocol.Address;
import io.murmur.transport.Transport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A benchmark command, not a test: for each node count and driver max park, binds that many transports on one
 * media, connects every pair, measures first-contact and warm round-trip latency, then the process's CPU while idle.
 * Prints one JSON object per configuration.
 *
 * <pre>
 * java -cp ... io.murmur.transport.aeron.IdleCpuFigures [nodes=5,20] [parkMs=1,2,10] [windowSeconds=10]
 * </pre>
 */
public final class IdleCpuFigures {

    private IdleCpuFigures() {}

    public static void main(String[] args) throws Exception {
        int[] nodes = ints(arg(args, "nodes", "5,20"));
        int[] parks = ints(arg(args, "parkMs", "1,2,10"));
        int window = Integer.parseInt(arg(args, "windowSeconds", "10"));
        for (int park : parks) {
            for (int n : nodes) {
                System.out.println(run(n, park, window));
            }
        }
    }

    private static String run(int n, int parkMs, int windowSeconds) throws Exception {
        AeronSettings settings = AeronSettings.defaults().toBuilder()
                .driverMaxPark(Duration.ofMillis(parkMs))
                .pollerMaxPark(Duration.ofMillis(parkMs))
                .build();
        try (AeronMedia media = AeronMedia.acquire(settings)) {
            List<AeronTransport> transports = new ArrayList<>();
            CountDownLatch mesh = new CountDownLatch(n * (n - 1));
            SynchronousQueue<Long> pongs = new SynchronousQueue<>();
            AtomicLong firstContactNanos = new AtomicLong();
            for (int i = 0; i < n; i++) {
                AeronTransport t = AeronTransport.bind(media, new Address("127.0.0.1", 0));
                transports.add(t);
            }
            AeronTransport pinger = transports.get(0);
            for (AeronTransport t : transports) {
                t.start(new Transport.Listener() {
                    @Override
                    public void onPacket(Address from, byte[] packet) {
                        if (packet[0] == 0) {
                            mesh.countDown();
                        } else if (packet[0] == 1) {
                            t.send(from, new byte[] {2});
                        } else if (packet[0] == 2) {
                            pongs.offer(System.nanoTime());
                        } else if (packet[0] == 3) {
                            firstContactNanos.compareAndSet(0, System.nanoTime());
                        }
                    }

                    @Override
                    public CompletionStage<byte[]> onRequest(Address from, byte[] request) {
                        return CompletableFuture.completedFuture(request);
                    }
                });
            }
            // first contact: a packet to a peer nobody has sent to yet is held until the publication connects
            long firstSent = System.nanoTime();
            transports.get(n - 1).send(transports.get(1).localAddress(), new byte[] {3});
            for (AeronTransport from : transports) {
                for (AeronTransport to : transports) {
                    if (from != to) {
                        from.send(to.localAddress(), new byte[] {0});
                    }
                }
            }
            if (!mesh.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("mesh incomplete: " + mesh.getCount());
            }
            double firstContactMs = (firstContactNanos.get() - firstSent) / 1e6;

            // warm round trips with pauses between them, as a probe every gossip period would see
            long[] rtt = new long[50];
            for (int i = 0; i < rtt.length; i++) {
                Thread.sleep(20);
                long sent = System.nanoTime();
                pinger.send(transports.get(1).localAddress(), new byte[] {1});
                Long back = pongs.poll(5, TimeUnit.SECONDS);
                rtt[i] = back == null ? -1 : back - sent;
            }
            Arrays.sort(rtt);

            Thread.sleep(2_000); // let the idle strategies back off fully
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long[] ids = threads.getAllThreadIds();
            long[] before = threadCpu(threads, ids);
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(windowSeconds * 1000L);
            long cpu1 = os.getProcessCpuTime();
            long t1 = System.nanoTime();
            long[] after = threadCpu(threads, ids);
            StringBuilder perThread = new StringBuilder();
            for (int i = 0; i < ids.length; i++) {
                java.lang.management.ThreadInfo info = threads.getThreadInfo(ids[i]);
                double pct = 100.0 * (after[i] - before[i]) / (t1 - t0);
                if (info != null && before[i] >= 0 && pct >= 0.05) {
                    if (perThread.length() > 0) {
                        perThread.append(',');
                    }
                    perThread.append(String.format(Locale.ROOT, "\"%s\":%.2f", info.getThreadName(), pct));
                }
            }
            String json = String.format(
                    Locale.ROOT,
                    "{\"nodes\":%d,\"maxParkMs\":%d,\"publications\":%d,\"idleProcessCpuPctOfOneCore\":%.2f,"
                            + "\"idleThreadCpuPct\":{%s},\"firstContactMs\":%.2f,\"rttMedianMs\":%.3f,"
                            + "\"rttP90Ms\":%.3f,\"rttMaxMs\":%.3f}",
                    n,
                    parkMs,
                    media.openPublications(),
                    100.0 * (cpu1 - cpu0) / (t1 - t0),
                    perThread,
                    firstContactMs,
                    rtt[rtt.length / 2] / 1e6,
                    rtt[rtt.length * 9 / 10] / 1e6,
                    rtt[rtt.length - 1] / 1e6);
            transports.forEach(AeronTransport::close);
            return json;
        }
    }

    private static long[] threadCpu(ThreadMXBean threads, long[] ids) {
        long[] cpu = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            cpu[i] = threads.getThreadCpuTime(ids[i]);
        }
        return cpu;
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return fallback;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
