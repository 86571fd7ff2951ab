package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The progress of one weekly proof ({@code proofs/<proofId>.json} in the working bucket; the finished
 * document is also written once to the backup bucket as the record of the result). Per table: the files
 * checked, the import into a scratch table, then two readings that must agree, each checkpointed so a
 * large table spans invocations: the scratch table scanned in parallel segments (each with its last key
 * and partial hash) and the backup's files read (each file's hash).
 */
@Serdeable
public record ProofState(String proofId, String runId, String region, Instant startedAt, List<TableProof> tables, Checkpoint.Lease lease,
                         Instant finishedAt) implements Checkpoint.Leased<ProofState> {

    public ProofState {
        tables = List.copyOf(tables);
    }

    @Override
    public boolean finished() {
        return finishedAt != null;
    }

    @Override
    public ProofState withLease(Checkpoint.Lease newLease) {
        return new ProofState(proofId, runId, region, startedAt, tables, newLease, finishedAt);
    }

    ProofState finishedAt(Instant at) {
        return new ProofState(proofId, runId, region, startedAt, tables, null, at);
    }

    boolean settled() {
        return tables.stream().allMatch(t -> t.status().settled());
    }

    boolean passed() {
        return tables.stream().allMatch(t -> t.status() == ProofStatus.PASSED);
    }

    TableProof table(String table) {
        return tables.stream().filter(t -> t.table().equals(table)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("proof " + proofId + " has no table " + table));
    }

    ProofState withTable(String table, UnaryOperator<TableProof> change) {
        List<TableProof> changed = new ArrayList<>(tables);
        changed.replaceAll(t -> t.table().equals(table) ? change.apply(t) : t);
        return new ProofState(proofId, runId, region, startedAt, changed, lease, finishedAt);
    }

    public enum ProofStatus {
        CHECKING, IMPORTING, HASHING, PASSED, FAILED;

        boolean settled() {
            return this == PASSED || this == FAILED;
        }
    }

    /**
     * One table's proof. {@code segments} and {@code files} hold each reading's partial results; the
     * table passes when the imported table and the files hold the same number of items, that number is the
     * manifest's, and both have the same content hash.
     */
    @Serdeable
    public record TableProof(String table, String scratchTable, String importArn, ProofStatus status, long manifestItems, Long importedItems,
                             List<Reading> segments, List<Reading> files, String tableHash, String filesHash, int attempts, String error) {

        public TableProof {
            segments = segments == null ? List.of() : List.copyOf(segments);
            files = files == null ? List.of() : List.copyOf(files);
        }

        static TableProof unavailable(String table, String why) {
            return new TableProof(table, null, null, ProofStatus.FAILED, 0, null, null, null, null, null, 0, why);
        }

        TableProof importing(String arn) {
            return new TableProof(table, scratchTable, arn, ProofStatus.IMPORTING, manifestItems, null, segments, files, null, null, 0, null);
        }

        TableProof hashing(long imported, List<Reading> scanSegments, List<Reading> fileReadings) {
            return new TableProof(table, scratchTable, importArn, ProofStatus.HASHING, manifestItems, imported, scanSegments, fileReadings,
                    null, null, 0, null);
        }

        TableProof withReading(Reading reading) {
            List<Reading> changedSegments = new ArrayList<>(segments);
            List<Reading> changedFiles = new ArrayList<>(files);
            changedSegments.replaceAll(r -> r.id().equals(reading.id()) ? reading : r);
            changedFiles.replaceAll(r -> r.id().equals(reading.id()) ? reading : r);
            return new TableProof(table, scratchTable, importArn, status, manifestItems, importedItems, changedSegments, changedFiles,
                    tableHash, filesHash, attempts, error);
        }

        TableProof judged(ItemHash scanned, ItemHash read) {
            String problem = null;
            if (scanned.items() != manifestItems || read.items() != manifestItems) {
                problem = "the manifest lists " + manifestItems + " items, the imported table holds " + scanned.items()
                        + ", the files " + read.items();
            } else if (!scanned.hex().equals(read.hex())) {
                problem = "the imported table's content hash differs from the files'";
            }
            return new TableProof(table, scratchTable, importArn, problem == null ? ProofStatus.PASSED : ProofStatus.FAILED, manifestItems,
                    importedItems, segments, files, scanned.hex(), read.hex(), 0, problem);
        }

        TableProof failed(String why) {
            return new TableProof(table, scratchTable, importArn, ProofStatus.FAILED, manifestItems, importedItems, segments, files,
                    tableHash, filesHash, 0, why);
        }

        TableProof failedAttempt(String why, int allowed) {
            int tries = attempts + 1;
            return new TableProof(table, scratchTable, importArn, tries < allowed ? status : ProofStatus.FAILED, manifestItems, importedItems,
                    segments, files, tableHash, filesHash, tries, why);
        }
    }

    /**
     * A partial reading: a scan segment ({@code id} "segment-N", {@code lastKey} where to go on, as DynamoDB
     * JSON) or a file ({@code id} its key), with the hash and count of what was read so far.
     */
    @Serdeable
    public record Reading(String id, String lastKey, String hash, long items, boolean done) {

        static Reading start(String id) {
            return new Reading(id, null, new ItemHash().hex(), 0, false);
        }
    }
}
