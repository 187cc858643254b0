package io.murmur.serf;

import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Keyring;
import io.murmur.protocol.Tags;
import io.murmur.store.FileSystem;
import io.murmur.store.RealFileSystem;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What a serf node needs to start: its membership settings, the serf layer's, and its initial tags. */
public record SerfSettings(
        NodeSettings node,
        SerfConfig serf,
        Map<String, String> tags,
        Path snapshotPath,
        FileSystem fileSystem,
        Keyring keyring,
        Path keyringPath) {

    /**
     * @param snapshotPath where to keep the snapshot (members, clocks) that a restart rejoins from; null for none
     * @param fileSystem the file system the snapshot and the keyring file live on
     * @param keyring the keyring that key management changes (see {@link #withKeyring}); null: the node's own, if any
     * @param keyringPath where key management persists the keyring; null for nowhere
     */
    public SerfSettings {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(serf, "serf");
        tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        Tags.encode(tags); // fails early when the tags do not fit the node's metadata
        Objects.requireNonNull(fileSystem, "fileSystem");
    }

    /** No snapshot. */
    public SerfSettings(NodeSettings node, SerfConfig serf, Map<String, String> tags) {
        this(node, serf, tags, null, RealFileSystem.INSTANCE, null, null);
    }

    /** A snapshot at {@code path} on {@code fs}: a restarted node rejoins the members it knew, replays no old event. */
    public SerfSettings withSnapshot(Path path, FileSystem fs) {
        return new SerfSettings(node, serf, tags, path, fs, keyring, keyringPath);
    }

    /**
     * Encryption with {@code newKeyring}: the node's packets and push/pulls are sealed with its primary key (the
     * node's other security settings stay as they are), and key management changes it and persists it at
     * {@code path} (null: not persisted).
     */
    public SerfSettings withKeyring(Keyring newKeyring, Path path) {
        NodeSettings encrypted = node.withSecurity(node.security().withKeyring(newKeyring));
        return new SerfSettings(encrypted, serf, tags, snapshotPath, fileSystem, newKeyring, path);
    }

    public static SerfSettings of(NodeSettings node) {
        return new SerfSettings(node, SerfConfig.defaults(), Map.of());
    }

    public SerfSettings withTags(Map<String, String> newTags) {
        return new SerfSettings(node, serf, newTags, snapshotPath, fileSystem, keyring, keyringPath);
    }

    public SerfSettings withConfig(SerfConfig config) {
        return new SerfSettings(node, config, tags, snapshotPath, fileSystem, keyring, keyringPath);
    }

    public String name() {
        return node.name();
    }
}
