package com.supportress.upload.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One upload as the uploads table holds it: what the client declared (size, type, SHA-256), where the
 * object lives, and how far it got. The object key is derived from tenant and id, never from the file name.
 */
public record UploadRecord(
        String uploadId,
        String tenant,
        String fileName,
        String contentType,
        long size,
        Optional<String> sha256,
        UploadMode mode,
        Optional<String> multipartUploadId,
        long partSize,
        int partCount,
        Instant createdAt,
        Instant expiresAt,
        UploadStatus status,
        Optional<String> reason,
        Optional<Instant> storedAt,
        Optional<Instant> replicatedAt,
        Optional<String> replicaRegion,
        Optional<Long> replicationLagMillis) {

    public String objectKey() {
        return UploadKeys.objectKey(tenant, uploadId);
    }

    /** A new upload, pending until the ingest function has checked its bytes. */
    public static UploadRecord pending(String uploadId, String tenant, String fileName, String contentType, long size,
                                       Optional<String> sha256, UploadMode mode, Optional<String> multipartUploadId,
                                       long partSize, int partCount, Instant createdAt, Instant expiresAt) {
        return new UploadRecord(uploadId, tenant, fileName, contentType, size, sha256, mode, multipartUploadId,
                partSize, partCount, createdAt, expiresAt, UploadStatus.PENDING, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
