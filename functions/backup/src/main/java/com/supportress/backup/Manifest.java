package com.supportress.backup;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one backup run did, written last in each region once every table of the run is settled: per
 * table whether its backup is verified in both regions, in the stack's region only, or failed, and why.
 * The files of each table are listed in its own {@link TableManifest}, written as soon as that table is
 * done, so a slow table never holds back the others.
 */
@Serdeable
public record Manifest(int formatVersion, String runId, String region, Instant startedAt, Instant finishedAt, List<TableResult> tables) {

    /** 1: the scanning backup (every table in this file, all or nothing); 2: DynamoDB exports, one manifest per table. */
    public static final int FORMAT_VERSION = 2;

    public Optional<TableResult> table(String name) {
        return tables.stream().filter(t -> t.table().equals(name)).findFirst();
    }

    /**
     * One table's outcome. Format 1 entries have no status: their runs were all or nothing, so a manifest
     * meant every table was backed up in both regions.
     */
    @Serdeable
    public record TableResult(String table, TableStatus status, Long itemCount, String nativeBackupArn, String error) {

        public TableStatus status() {
            return status == null ? TableStatus.VERIFIED : status;
        }
    }

    /** A key attribute with its scalar type (S, N or B), enough to recreate the key schema. */
    @Serdeable
    public record KeyAttribute(String name, String keyType, String attributeType) {
    }

    @Serdeable
    public record Index(String name, List<KeyAttribute> keySchema, String projectionType, List<String> nonKeyAttributes) {

        public Index {
            nonKeyAttributes = nonKeyAttributes == null ? List.of() : nonKeyAttributes;
        }
    }
}
