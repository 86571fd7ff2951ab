package com.supportress.upload.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.supportress.upload.store.UploadRecord;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/** The JSON bodies upload-api answers with. */
final class UploadViews {

    private UploadViews() {
    }

    /** POST /uploads: how to send the bytes, either one signed PUT or multipart with parts signed on demand. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Instructions(String uploadId, String method, String url, Map<String, String> headers, String expiresAt,
                        Long partSize, Integer partCount) {

        static Instructions put(String uploadId, UploadBucket.SignedRequest request) {
            return new Instructions(uploadId, "PUT", request.url(), request.headers(), request.expiresAt(), null, null);
        }

        static Instructions multipart(String uploadId, long partSize, int partCount, String expiresAt) {
            return new Instructions(uploadId, "MULTIPART", null, null, expiresAt, partSize, partCount);
        }
    }

    /**
     * GET /uploads/{id}: where the upload stands. {@code sha256} is the file's SHA-256 (a PUT); {@code compositeSha256}
     * S3's composite of the part SHA-256s, "-N" for N parts (multipart, once completed).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Status(String uploadId, String status, String reason, String fileName, String contentType, long size,
                  String method, String sha256, String compositeSha256, String createdAt, String replicaRegion,
                  Long replicationLagMillis) {

        static Status of(UploadRecord upload) {
            return new Status(upload.uploadId(), upload.status().wireName(), upload.reason().orElse(null),
                    upload.fileName(), upload.contentType(), upload.size(), upload.mode().name(), upload.sha256().orElse(null),
                    upload.compositeSha256().orElse(null), upload.createdAt().toString(), upload.replicaRegion().orElse(null),
                    upload.replicationLagMillis().orElse(null));
        }
    }

    @Serdeable
    record PartUrl(int partNumber, String url, Map<String, String> headers, String expiresAt) {
    }

    /** POST /uploads/{id}/parts. */
    @Serdeable
    record PartUrls(List<PartUrl> parts) {
    }

    /** GET /uploads/{id}/parts: what S3 already holds, so an interrupted browser can resume; [] when nothing yet. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record UploadedParts(List<UploadBucket.UploadedPart> parts) {
    }
}
