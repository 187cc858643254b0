package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.agent.discovery.MdnsDiscovery;
import io.murmur.membership.JoinResult;
import io.murmur.protocol.Address;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Serf's agent flags that have a config key too: parsed, layered under the command line, and checked. */
class SerfFlagsTest {

    @TempDir
    Path dir;

    private static AgentCommand parse(String... args) {
        AgentCommand cmd = new AgentCommand();
        new CommandLine(cmd).parseArgs(args);
        cmd.applyConfigFiles();
        return cmd;
    }

    /** What {@code murmur agent ARGS} printed on stderr, after checking that it exited with usage error 2. */
    private static String usageError(String... args) {
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "agent";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), all);
        assertEquals(2, code, err.toString());
        return err.toString();
    }

    private Path config(String json) throws Exception {
        return Files.writeString(dir.resolve("agent.json"), json);
    }

    @Test
    void protocolDefaultsToFiveAndTakesSerfsRange() throws Exception {
        assertEquals(5, parse().network.protocol);
        assertEquals(2, parse("-protocol", "2").network.protocol);
        Path file = config("{\"protocol\": 4}");
        assertEquals(4, parse("-config-file", file.toString()).network.protocol);
        assertEquals(3, parse("-config-file", file.toString(), "-protocol", "3").network.protocol, "the flag wins");
    }

    @Test
    void protocolOutsideSerfsRangeIsAUsageError() throws Exception {
        assertTrue(usageError("-protocol", "6").contains("-protocol must be between 2 and 5"));
        assertTrue(usageError("-protocol", "1").contains("-protocol must be between 2 and 5"));
        assertTrue(usageError("-protocol", "five").contains("-protocol"));
        Path file = config("{\"protocol\": 9}");
        assertTrue(usageError("-config-file", file.toString()).contains("got 9"));
    }

    @Test
    void ifaceBindsTheInterfacesAddressWithTheBindPort() throws Exception {
        AgentCommand cmd = parse("-node", "n1", "-iface", "lo", "-bind", "0.0.0.0:7950");
        assertEquals("127.0.0.1:7950", cmd.bind);
        assertEquals("127.0.0.1:7950", cmd.settings().node().self().address().toString(), "advertised too");
        assertEquals("127.0.0.1:7946", parse("-iface", "lo", "-bind", "127.0.0.1").bind);
        Path file = config("{\"interface\": \"lo\"}");
        assertEquals("127.0.0.1:7946", parse("-config-file", file.toString()).bind);
    }

    @Test
    void ifaceErrorsAreUsageErrors() {
        assertTrue(usageError("-iface", "nosuch0").contains("no network interface named 'nosuch0'"));
        assertTrue(usageError("-iface", "lo", "-bind", "10.1.2.3:7946").contains("has no address 10.1.2.3"));
    }

    @Test
    void syslogIsOffByDefaultAndTakesItsFacilityFromTheFiles() throws Exception {
        assertEquals(false, parse().syslog.enabled);
        AgentCommand on = parse("-syslog");
        assertTrue(on.syslog.enabled);
        assertEquals("LOCAL0", on.syslog.facility);
        Path file = config("{\"enable_syslog\": true, \"syslog_facility\": \"daemon\"}");
        AgentCommand fromFile = parse("-config-file", file.toString());
        assertTrue(fromFile.syslog.enabled);
        assertEquals("DAEMON", fromFile.syslog.facility);
    }

    @Test
    void anUnknownSyslogFacilityIsAUsageErrorWhenSyslogIsOn() throws Exception {
        Path file = config("{\"syslog_facility\": \"LOCAL9\"}");
        assertEquals(false, parse("-config-file", file.toString()).syslog.enabled, "off: not checked, as Serf");
        String err = usageError("-config-file", file.toString(), "-syslog");
        assertTrue(err.contains("syslog_facility 'LOCAL9' is not a syslog facility"), err);
    }

    @Test
    void discoverTakesItsMdnsSettingsFromFlagsAndTheMdnsObject() throws Exception {
        AgentCommand flags = parse("-discover", "prod", "-mdns-iface", "lo", "-mdns-disable-ipv6");
        assertEquals("prod", flags.network.discover);
        assertEquals("lo", flags.network.mdnsIface);
        assertTrue(flags.network.mdnsDisableIpv6 && !flags.network.mdnsDisableIpv4);

        Path file = config("{\"discover\": \"prod\", \"mdns\": {\"interface\": \"lo\", \"disable_ipv4\": true}}");
        AgentCommand fromFile = parse("-config-file", file.toString());
        assertEquals("prod", fromFile.network.discover);
        assertEquals("lo", fromFile.network.mdnsIface);
        assertTrue(fromFile.network.mdnsDisableIpv4 && !fromFile.network.mdnsDisableIpv6);
        assertEquals("eth7", parse("-config-file", file.toString(), "-mdns-iface", "eth7").network.mdnsIface);
    }

    @Test
    void badDiscoverySettingsAreUsageErrors() throws Exception {
        assertTrue(usageError("-discover", "my.cluster").contains("-discover 'my.cluster': a cluster name is"));
        assertTrue(usageError("-discover", "c", "-mdns-disable-ipv4", "-mdns-disable-ipv6")
                .contains("leave mDNS nothing to use"));
        Path file = config("{\"mdns\": {\"iface\": \"lo\"}}");
        assertTrue(usageError("-config-file", file.toString()).contains("unknown key 'iface'"));
        Path notAnObject = config("{\"mdns\": \"lo\"}");
        assertTrue(usageError("-config-file", notAnObject.toString()).contains("bad value for 'mdns'"));
    }

    @Test
    void discoveryStartsOnTheNamedInterfaceOrSaysWhyNot() throws Exception {
        Address advertised = new Address("127.0.0.1", 17010);
        MdnsDiscovery.Joiner joiner = (seeds, ignoreOld) -> new JoinResult(0, Map.of());
        AgentCommand unknown = parse("-discover", "c", "-mdns-iface", "nosuch0");
        var e = assertThrows(
                CommandLine.ParameterException.class,
                () -> unknown.network.startDiscovery("n1", advertised, joiner, false));
        assertTrue(e.getMessage().contains("no network interface named 'nosuch0'"), e.getMessage());
        assertEquals(null, parse().network.startDiscovery("n1", advertised, joiner, false), "off without -discover");

        // the advertise address's interface (loopback), IPv4 only: nothing leaves this machine
        try (MdnsDiscovery running = parse("-discover", "flags-test", "-mdns-disable-ipv6")
                .network
                .startDiscovery("n1", advertised, joiner, false)) {
            assertNotNull(running);
        }
    }
}
