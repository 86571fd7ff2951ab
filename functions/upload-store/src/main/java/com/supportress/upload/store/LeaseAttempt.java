package com.supportress.upload.store;

import java.time.Instant;
import java.util.Optional;

/** What an attempt to lease an upload for ingest found. */
public sealed interface LeaseAttempt {

    /** The caller holds the lease until {@code expiresAt}: the upload as it stands, and the copy to resume, if any. */
    record Acquired(UploadRecord upload, Optional<CopyCheckpoint> checkpoint, Instant expiresAt) implements LeaseAttempt {
    }

    /** Another worker holds a live lease; nothing may be copied or aborted for this upload before it expires. */
    record Held(Instant until) implements LeaseAttempt {
    }

    /** There is no such upload record. */
    record NoUpload() implements LeaseAttempt {
    }
}
