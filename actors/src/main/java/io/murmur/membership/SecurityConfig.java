package io.murmur.membership;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.murmur.protocol.CidrAllowList;
import io.murmur.protocol.Keyring;
import io.murmur.protocol.SecuritySettings;

/**
 * Reads a node's {@link SecuritySettings} from HOCON: {@code murmur.membership.label}, {@code verify-incoming},
 * {@code verify-outgoing}, {@code compression} and {@code allowed-cidrs}. The keyring is never read from a
 * configuration file here; it is handed in (the serf layer loads and persists it).
 */
public final class SecurityConfig {

    private SecurityConfig() {}

    /**
     * The security settings under {@code murmur.membership}, with {@code keyring} (null: no encryption).
     *
     * @throws IllegalArgumentException naming the key, for a bad value or CIDR
     */
    public static SecuritySettings fromConfig(Config root, Keyring keyring) {
        try {
            Config m = root.getConfig("murmur.membership");
            return new SecuritySettings(
                    keyring,
                    m.getString("label"),
                    m.getBoolean("verify-incoming"),
                    m.getBoolean("verify-outgoing"),
                    m.getBoolean("compression"),
                    CidrAllowList.parse(m.getStringList("allowed-cidrs")));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("murmur.membership: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("murmur.membership." + e.getMessage(), e);
        }
    }
}
