package com.supportress.upload.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One upload as the uploads table holds it: what the client declared (size, type, checksum), where the
 * object lives, and how far it got. The object key is derived from tenant and id, never from the file name.
 * The declared checksum is what S3 must report for the object, in S3's notation: the SHA-256 of the whole
 * file for a single PUT ({@code sha256}); for multipart, the composite S3 computes from the part SHA-256s the
 * client declared, with its "-N" suffix ({@code compositeSha256}, recorded when the upload is completed).
 */
public record UploadRecord(
        String uploadId,
        String tenant,
        String fileName,
        String contentType,
        long size,
        Optional<String> sha256,
        Optional<String> compositeSha256,
        UploadMode mode,
        Optional<String> multipartUploadId,
        long partSize,
        int partCount,
        Instant createdAt,
        Instant expiresAt,
        UploadStatus status,
        Optional<String> reason,
        Optional<Instant> storedAt,
        Optional<String> objectVersionId,
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
        return new UploadRecord(uploadId, tenant, fileName, contentType, size, sha256, Optional.empty(), mode,
                multipartUploadId, partSize, partCount, createdAt, expiresAt, UploadStatus.PENDING, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The SHA-256 S3 must report for the object (checksum mode), once the client has declared it in full. */
    public Optional<String> expectedChecksum() {
        return mode == UploadMode.PUT ? sha256 : compositeSha256;
    }

    /** Bytes in the given part (1-based) of a multipart upload: every part is partSize except the last. */
    public long partLength(int partNumber) {
        return partNumber < partCount ? partSize : size - partSize * (partCount - 1);
    }
}
