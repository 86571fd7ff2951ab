package com.supportress.backup;

/** Where one table of a run stands; the last three are settled. */
public enum TableStatus {
    /** DynamoDB is exporting the table into the working bucket. */
    EXPORTING,
    /** The export is validated; its files are being copied into the backup bucket, S3 computing each SHA-256. */
    SEALING,
    /** The table's backup is complete in the stack's region; its files are being copied to the second region. */
    REPLICATING,
    /** Complete and checked in both regions. */
    VERIFIED,
    /** Complete in the stack's region; the copy in the second region failed. */
    PRIMARY_ONLY,
    /** No backup of this table in this run. */
    FAILED;

    boolean settled() {
        return this == VERIFIED || this == PRIMARY_ONLY || this == FAILED;
    }

    /** Whether the table's manifest and files are in the bucket of the stack's region. */
    boolean inPrimary() {
        return this == REPLICATING || this == VERIFIED || this == PRIMARY_ONLY;
    }
}
