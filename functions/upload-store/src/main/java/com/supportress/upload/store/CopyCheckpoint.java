package com.supportress.upload.store;

import java.time.Instant;

/**
 * How far a multipart server-side copy of an upload got, kept on its record so the next invocation resumes it
 * instead of starting over: where it copies to, which source version, and S3's id of the open multipart upload.
 * The parts already copied, with their ETags and checksums, are listed from S3 itself (ListParts) when resuming:
 * S3 is the authority on what it holds, and 10,000 part entries would not fit in one 400 KB DynamoDB item.
 */
public record CopyCheckpoint(Target target, String sourceVersionId, String multipartUploadId, int partsDone, Instant savedAt) {

    /** Where the copy goes: the replica in the second region, or the quarantine prefix of the upload bucket. */
    public enum Target {
        REPLICA, QUARANTINE
    }
}
