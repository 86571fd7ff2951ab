package com.supportress.upload.store;

import java.util.Locale;

/** Where an upload stands; the lower-case name is what the table stores and the API shows. */
public enum UploadStatus {
    /** Created; the bytes have not been checked yet (or have not arrived). */
    PENDING,
    /** The object passed the size, type and checksum checks in the primary bucket. */
    STORED,
    /** A verified copy is in the replica bucket of the second region. */
    REPLICATED,
    /** The object failed a check and was moved to the quarantine prefix; never replicated. */
    QUARANTINED,
    /** Aborted by the client, or never uploaded before the upload expired. */
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UploadStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Still on its way to a replica: the reconciliation schedule watches these. */
    public boolean awaitsReplication() {
        return this == PENDING || this == STORED;
    }
}
