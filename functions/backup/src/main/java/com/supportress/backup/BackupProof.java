package com.supportress.backup;

import com.fasterxml.jackson.core.JsonParser;
import com.supportress.shared.metrics.EmbeddedMetrics;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ImportTableDescription;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * The weekly proof that backups restore: every table of the newest complete run in one region (the
 * stack's in even ISO weeks, the second region's in odd ones) is imported by DynamoDB into a scratch
 * table, after its files' checksums are checked. The scratch table is then read once, in parallel scan
 * segments, and the backup's files are read once, each reading hashed item by item into the same
 * order-independent content hash; the proof passes when both readings and the manifest agree on the item
 * count and both hashes are equal. Then the scratch table is dropped and the result recorded.
 * <p>
 * Reading is the one part that grows with the data. It is bounded per invocation: each segment and file
 * saves its progress (a segment its last key and partial hash) in the proof's checkpoint, and stops at the
 * invocation's deadline; the proof's schedule continues it every few minutes until it is done.
 */
@Singleton
public class BackupProof {

    private static final Logger LOG = LoggerFactory.getLogger(BackupProof.class);
    static final Duration PROOF_TIMEOUT = Duration.ofDays(2);
    private static final int TABLE_WORKERS = 4;
    // Business metric (EMF, namespace METRICS_NAMESPACE): each table's restore test, by table and result (passed or
    // failed), counted once, by the invocation that recorded the proof finished.
    static final String RESULT_METRIC = "RestoreTests";

    @Serdeable
    public record TableResult(String table, ProofState.ProofStatus status, long manifestItems, Long importedItems, String tableHash,
                              String filesHash, String error) {
    }

    @Serdeable
    public record Report(String proofId, String runId, String region, boolean finished, boolean passed, List<TableResult> tables) {

        static Report of(ProofState state) {
            return new Report(state.proofId(), state.runId(), state.region(), state.finished(), state.finished() && state.passed(),
                    state.tables().stream().map(t -> new TableResult(t.table(), t.status(), t.manifestItems(), t.importedItems(),
                            t.tableHash(), t.filesHash(), t.error())).toList());
        }
    }

    private final DynamoDbClient dynamoDb;
    private final BackupStores stores;
    private final BackupConfig config;
    private final Clock clock;
    private final TableImports imports;
    private final EmbeddedMetrics metrics;

    public BackupProof(DynamoDbClient dynamoDb, BackupStores stores, BackupConfig config, Clock clock, EmbeddedMetrics metrics) {
        this.dynamoDb = dynamoDb;
        this.stores = stores;
        this.config = config;
        this.clock = clock;
        this.imports = new TableImports(dynamoDb, config.bucketOwner());
        this.metrics = metrics;
    }

    /** The region whose copy this week's proof covers: the stack's in even ISO weeks, the second region's in odd ones. */
    String regionOfTheWeek(Instant now) {
        int week = LocalDate.ofInstant(now, ZoneOffset.UTC).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        return (week % 2 == 0 ? config.region() : config.replicaRegion()).id();
    }

    /** Starts a proof of a run (the newest complete one by default) and takes it as far as the deadline allows. */
    public Report start(Optional<String> region, Optional<String> backupId, Deadline deadline) {
        Instant now = clock.instant();
        String regionId = region.orElseGet(() -> regionOfTheWeek(now));
        BackupStore store = stores.inRegion(regionId).orElseThrow(() -> new RestoreRefusedException("no backups are kept in region " + regionId));
        Manifest run = backupId.map(id -> store.manifest(id).orElseThrow(() -> new RestoreRefusedException(
                        "no complete backup " + id + " in " + store.bucket() + " (" + regionId + ")")))
                .orElseGet(() -> store.latest().orElseThrow(() -> new RestoreRefusedException(
                        "no complete backup in " + store.bucket() + " (" + regionId + ") to prove")));
        String proofId = BackupStore.newRunId(now) + "-" + regionId;
        String scratchPrefix = config.scratchTablePrefix() + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<ProofState.TableProof> tables = new ArrayList<>();
        for (Manifest.TableResult table : run.tables()) {
            boolean here = store == stores.primary() ? table.status().inPrimary() : table.status() == TableStatus.VERIFIED;
            tables.add(here
                    ? new ProofState.TableProof(table.table(), scratchPrefix + tables.size(), null, ProofState.ProofStatus.CHECKING,
                    table.itemCount() == null ? 0 : table.itemCount(), null, null, null, null, null, 0, null)
                    : ProofState.TableProof.unavailable(table.table(), "run " + run.runId() + " has no backup of it in " + regionId + ": "
                    + table.status() + (table.error() == null ? "" : " (" + table.error() + ")")));
        }
        ProofState state = new ProofState(proofId, run.runId(), regionId, now, tables, null, null);
        String key = WorkBucket.proofKey(proofId);
        String etag = stores.work().create(key, state);
        LOG.info("proof {} of run {} in {} started for {} tables", proofId, run.runId(), regionId, tables.size());
        return Checkpoint.acquire(stores.work(), key, new WorkBucket.Versioned<>(state, etag), clock, lease(deadline))
                .map(checkpoint -> advance(checkpoint, deadline))
                .orElseGet(() -> Report.of(state));
    }

    /** Takes every open proof further (the frequent schedule): one proof's report per proof this invocation could take. */
    public List<Report> advanceOpen(Deadline deadline) {
        List<Report> reports = new ArrayList<>();
        for (String key : stores.work().keys("proofs/")) {
            stores.work().read(key, ProofState.class)
                    .flatMap(read -> Checkpoint.acquire(stores.work(), key, read, clock, lease(deadline)))
                    .ifPresent(checkpoint -> reports.add(advance(checkpoint, deadline)));
        }
        return reports;
    }

    /** Takes one proof further, e.g. from the CLI; empty when it is finished or someone else holds it. */
    public Optional<Report> advance(String proofId, Deadline deadline) {
        String key = WorkBucket.proofKey(proofId);
        return stores.work().read(key, ProofState.class)
                .flatMap(read -> Checkpoint.acquire(stores.work(), key, read, clock, lease(deadline)))
                .map(checkpoint -> advance(checkpoint, deadline));
    }

    /** The recorded result of a proof, once it is finished. */
    public Optional<Report> result(String proofId) {
        return stores.work().read(WorkBucket.proofKey(proofId), ProofState.class).map(v -> Report.of(v.value()));
    }

    private static Duration lease(Deadline deadline) {
        return deadline.remaining().plus(Deadline.MARGIN).plus(Duration.ofMinutes(1));
    }

    private Report advance(Checkpoint<ProofState> proof, Deadline deadline) {
        ProofState state = proof.state();
        BackupStore store = stores.inRegion(state.region()).orElseThrow();
        if (clock.instant().isAfter(state.startedAt().plus(PROOF_TIMEOUT))) {
            state.tables().stream().filter(t -> !t.status().settled())
                    .forEach(t -> update(proof, t.table(), p -> p.failed("not finished within " + PROOF_TIMEOUT.toDays() + " days")));
        }
        try (ExecutorService workers = Executors.newFixedThreadPool(TABLE_WORKERS)) {
            List<Future<?>> started = new ArrayList<>();
            for (ProofState.TableProof table : proof.state().tables()) {
                if (!table.status().settled()) {
                    started.add(workers.submit(() -> advance(proof, store, table.table(), deadline)));
                }
            }
            for (Future<?> worker : started) {
                worker.get();
            }
        } catch (ExecutionException e) {
            LOG.error("a proof worker failed unexpectedly", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            proof.flush();
            ProofState now = proof.state();
            // Scratch tables go as soon as their table is settled, and again here, should a drop have failed.
            now.tables().stream().filter(t -> t.status().settled() && t.scratchTable() != null).forEach(t -> imports.dropIfExists(t.scratchTable()));
            if (!now.settled()) {
                proof.release();
                return Report.of(now);
            }
            Instant at = clock.instant();
            stores.primary().writeOnce(WorkBucket.proofKey(now.proofId()), now.finishedAt(at));
            proof.finish(finished -> finished.finishedAt(at));
            ProofState done = proof.state();
            done.tables().forEach(table -> metrics.entry().dimension(BackupAges.TABLE_DIMENSION, table.table())
                    .dimension("Result", table.status() == ProofState.ProofStatus.PASSED ? "passed" : "failed")
                    .count(RESULT_METRIC)
                    .property("proofId", done.proofId())
                    .property("region", done.region())
                    .emit());
            if (done.passed()) {
                LOG.info("proof {}: every table of run {} restored from {} and matched its backup", done.proofId(), done.runId(), done.region());
            } else {
                LOG.error("proof {} of run {} in {} failed: {}", done.proofId(), done.runId(), done.region(), Report.of(done).tables());
            }
            return Report.of(done);
        } catch (WorkBucket.ConcurrentUpdateException e) {
            LOG.warn("lost the lease of proof {}: another invocation continues it", state.proofId());
            return Report.of(proof.state());
        }
    }

    private static void update(Checkpoint<ProofState> proof, String table, UnaryOperator<ProofState.TableProof> change) {
        proof.update(state -> state.withTable(table, change), (before, after) -> before.table(table).status() != after.table(table).status());
    }

    private void advance(Checkpoint<ProofState> proof, BackupStore store, String table, Deadline deadline) {
        try {
            while (!deadline.passed() && !proof.lost()) {
                ProofState.TableProof current = proof.state().table(table);
                if (current.status().settled()) {
                    imports.dropIfExists(current.scratchTable());
                    return;
                }
                if (!attempt(proof, store, current, deadline)) {
                    return;
                }
            }
        } catch (WorkBucket.ConcurrentUpdateException e) {
            // The lease is lost: another invocation continues the proof.
        }
    }

    private boolean attempt(Checkpoint<ProofState> proof, BackupStore store, ProofState.TableProof current, Deadline deadline) {
        String table = current.table();
        try {
            return step(proof, store, current, deadline);
        } catch (WorkBucket.ConcurrentUpdateException e) {
            throw e;
        } catch (RestoreRefusedException e) {
            update(proof, table, p -> p.failed(e.getMessage()));
            return true;
        } catch (RuntimeException e) {
            LOG.error("proof of {} failed at {}: {}", table, current.status(), e.getMessage());
            update(proof, table, p -> p.failedAttempt(p.status() + " failed: " + e.getMessage(), BackupFinisher.ATTEMPTS));
            return false;
        }
    }

    /** One step; false when waiting for DynamoDB's import or out of time. */
    private boolean step(Checkpoint<ProofState> proof, BackupStore store, ProofState.TableProof table, Deadline deadline) {
        String runId = proof.state().runId();
        switch (table.status()) {
            case CHECKING -> {
                TableManifest backup = RestoreService.backup(store, table.table(), Optional.of(runId));
                BackupFileCheck.verify(store, backup, message -> { });
                if (!TableImports.canImport(backup)) {
                    // Nothing to import (an empty table): the files alone must then hold no item.
                    update(proof, table.table(), p -> p.hashing(0, List.of(), readings(backup)));
                    return true;
                }
                String importArn = imports.start(store, backup, table.scratchTable());
                update(proof, table.table(), p -> p.importing(importArn));
                return true;
            }
            case IMPORTING -> {
                ImportTableDescription description = imports.describe(table.importArn());
                if (TableImports.running(description)) {
                    return false;
                }
                TableManifest backup = RestoreService.backup(store, table.table(), Optional.of(runId));
                String problem = TableImports.problem(description, backup);
                if (problem != null) {
                    update(proof, table.table(), p -> p.failed(problem));
                    return true;
                }
                List<ProofState.Reading> segments = IntStream.range(0, config.scanSegments()).mapToObj(i -> ProofState.Reading.start("segment-" + i)).toList();
                update(proof, table.table(), p -> p.hashing(description.importedItemCount(), segments, readings(backup)));
                return true;
            }
            case HASHING -> {
                read(proof, store, table, deadline);
                ProofState.TableProof read = proof.state().table(table.table());
                if (read.segments().stream().allMatch(ProofState.Reading::done) && read.files().stream().allMatch(ProofState.Reading::done)) {
                    update(proof, table.table(), p -> p.judged(sum(p.segments()), sum(p.files())));
                    return true;
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private static List<ProofState.Reading> readings(TableManifest backup) {
        return backup.files().stream().map(f -> ProofState.Reading.start(f.key())).toList();
    }

    private static ItemHash sum(List<ProofState.Reading> readings) {
        ItemHash total = new ItemHash();
        readings.forEach(r -> total.addAll(ItemHash.of(r.hash(), r.items())));
        return total;
    }

    /** Every unfinished segment and file of the table, in parallel, until done or the deadline. */
    private void read(Checkpoint<ProofState> proof, BackupStore store, ProofState.TableProof table, Deadline deadline) {
        List<ProofState.Reading> open = new ArrayList<>();
        table.segments().stream().filter(r -> !r.done()).forEach(open::add);
        table.files().stream().filter(r -> !r.done()).forEach(open::add);
        try (ExecutorService readers = Executors.newFixedThreadPool(Math.max(1, Math.min(open.size(), config.scanSegments())))) {
            List<Future<?>> started = new ArrayList<>();
            for (ProofState.Reading reading : open) {
                started.add(readers.submit(() -> reading.id().startsWith("segment-")
                        ? scanSegment(proof, table, reading, deadline)
                        : readFile(proof, store, table.table(), reading, deadline)));
            }
            for (Future<?> reader : started) {
                reader.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + table.table(), e);
        }
    }

    /** Scans one segment of the scratch table from where it stopped, a page at a time, saving position and hash after each page. */
    private Void scanSegment(Checkpoint<ProofState> proof, ProofState.TableProof table, ProofState.Reading reading, Deadline deadline) {
        int segment = Integer.parseInt(reading.id().substring("segment-".length()));
        ItemHash hash = ItemHash.of(reading.hash(), reading.items());
        Map<String, AttributeValue> start = reading.lastKey() == null ? null : DynamoJson.fromLine(reading.lastKey());
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamoDb.scan(r -> r.tableName(table.scratchTable()).segment(segment).totalSegments(table.segments().size())
                    .consistentRead(true).exclusiveStartKey(from));
            page.items().forEach(hash::add);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            ProofState.Reading progress = new ProofState.Reading(reading.id(), start == null ? null : DynamoJson.toLine(start), hash.hex(),
                    hash.items(), start == null);
            update(proof, table.table(), p -> p.withReading(progress));
        } while (start != null && !deadline.passed() && !proof.lost());
        return null;
    }

    /** Reads one backup file through gzip, item by item; a file cut short by the deadline is read again next time. */
    private Void readFile(Checkpoint<ProofState> proof, BackupStore store, String table, ProofState.Reading reading, Deadline deadline) {
        ItemHash hash = new ItemHash();
        try (InputStream in = new GZIPInputStream(store.open(reading.id()), 64 * 1024);
             JsonParser parser = DynamoJson.FACTORY.createParser(in)) {
            for (Optional<Map<String, AttributeValue>> item; (item = DynamoJson.readItem(parser)).isPresent(); ) {
                hash.add(item.get());
                if (hash.items() % 10_000 == 0 && (deadline.passed() || proof.lost())) {
                    return null;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + reading.id(), e);
        }
        ProofState.Reading done = new ProofState.Reading(reading.id(), null, hash.hex(), hash.items(), true);
        update(proof, table, p -> p.withReading(done));
        return null;
    }
}
