package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Applies the retention policy to both buckets and to DynamoDB's native backups, after a run finished.
 * A run counts as a backup when its manifest shows at least one table backed up in that bucket; on top
 * of the policy, each table's newest backup in each bucket is always kept, so a table failing for months
 * keeps its last good backup, and runs still being finished are never touched.
 */
final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    @Serdeable
    public record Pruned(int runs, int replicaRuns, int nativeBackups) {
    }

    private final BackupStores stores;
    private final NativeBackups nativeBackups;
    private final BackupConfig config;

    Retention(BackupStores stores, NativeBackups nativeBackups, BackupConfig config) {
        this.stores = stores;
        this.nativeBackups = nativeBackups;
        this.config = config;
    }

    Pruned apply(Set<String> openRuns, Instant now) {
        int runs = prune(stores.primary(), status -> status.inPrimary(), openRuns, now);
        int replicaRuns = prune(stores.replica(), status -> status == TableStatus.VERIFIED, openRuns, now);
        int natives = nativeBackups.prune(config.tables(), config.retention(), now);
        return new Pruned(runs, replicaRuns, natives);
    }

    private int prune(BackupStore store, Predicate<TableStatus> backedUpHere, Set<String> openRuns, Instant now) {
        List<RetentionPolicy.Snapshot> snapshots = new ArrayList<>();
        Set<String> newestPerTable = new HashSet<>();
        Set<String> tablesSeen = new HashSet<>();
        List<RetentionPolicy.Snapshot> listed = new ArrayList<>(store.snapshots());
        listed.sort((a, b) -> b.takenAt().compareTo(a.takenAt()));
        for (RetentionPolicy.Snapshot snapshot : listed) {
            if (openRuns.contains(snapshot.id())) {
                continue;
            }
            Optional<Manifest> manifest = snapshot.complete() ? store.manifest(snapshot.id()) : Optional.empty();
            List<String> backedUp = manifest.map(m -> m.tables().stream().filter(t -> backedUpHere.test(t.status()))
                    .map(Manifest.TableResult::table).toList()).orElse(List.of());
            for (String table : backedUp) {
                if (tablesSeen.add(table)) {
                    newestPerTable.add(snapshot.id());
                }
            }
            snapshots.add(new RetentionPolicy.Snapshot(snapshot.id(), snapshot.takenAt(), !backedUp.isEmpty()));
        }
        Set<String> doomed = new HashSet<>(config.retention().toDelete(snapshots, now));
        doomed.removeAll(newestPerTable);
        doomed.forEach(store::deleteRun);
        if (!doomed.isEmpty()) {
            LOG.info("pruned {} runs from {}: {}", doomed.size(), store.bucket(), doomed);
        }
        return doomed.size();
    }
}
