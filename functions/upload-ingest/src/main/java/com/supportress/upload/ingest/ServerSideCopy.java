package com.supportress.upload.ingest;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies one object version inside S3, to the replica bucket or to the quarantine prefix: the bytes never
 * pass through the function. CopyObject up to the configured threshold (S3 takes at most 5 GiB in one
 * copy), UploadPartCopy above it. S3 computes a SHA-256 of what it writes, whole or per part.
 */
@Singleton
public class ServerSideCopy {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSideCopy.class);

    /** One version of an object to copy. */
    public record Source(String bucket, String key, String versionId, long size) {
    }

    private final IngestConfig config;

    public ServerSideCopy(IngestConfig config) {
        this.config = config;
    }

    public boolean isMultipart(long size) {
        return size > config.copyMultipartThresholdBytes();
    }

    public long partSize(long size) {
        return config.copyPartSize(size);
    }

    /** Copies through the client of the destination's region; metadata replaces the source's when given. */
    public void copy(S3Client s3, Source source, String destinationBucket, String destinationKey, Map<String, String> metadata) {
        if (!isMultipart(source.size())) {
            s3.copyObject(r -> r.sourceBucket(source.bucket()).sourceKey(source.key()).sourceVersionId(source.versionId())
                    .destinationBucket(destinationBucket).destinationKey(destinationKey)
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                    .metadataDirective(metadata.isEmpty() ? MetadataDirective.COPY : MetadataDirective.REPLACE)
                    .metadata(metadata.isEmpty() ? null : metadata));
            return;
        }
        abortStaleCopies(s3, destinationBucket, destinationKey);
        long partSize = partSize(source.size());
        String uploadId = s3.createMultipartUpload(r -> r.bucket(destinationBucket).key(destinationKey)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).metadata(metadata)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (long start = 0; start < source.size(); start += partSize, partNumber++) {
                String range = "bytes=" + start + "-" + (Math.min(start + partSize, source.size()) - 1);
                int number = partNumber;
                UploadPartCopyResponse copied = s3.uploadPartCopy(r -> r.sourceBucket(source.bucket())
                        .sourceKey(source.key()).sourceVersionId(source.versionId()).copySourceRange(range)
                        .destinationBucket(destinationBucket).destinationKey(destinationKey).uploadId(uploadId).partNumber(number));
                parts.add(CompletedPart.builder().partNumber(number).eTag(copied.copyPartResult().eTag())
                        .checksumSHA256(copied.copyPartResult().checksumSHA256()).build());
            }
            s3.completeMultipartUpload(r -> r.bucket(destinationBucket).key(destinationKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            LOG.info("copied in {} parts", parts.size());
        } catch (RuntimeException e) {
            abort(s3, destinationBucket, destinationKey, uploadId);
            throw e;
        }
    }

    /** A copy cut short (a crash, a timeout) leaves a multipart upload open; the retry starts clean. */
    private static void abortStaleCopies(S3Client s3, String bucket, String key) {
        List<MultipartUpload> open = s3.listMultipartUploads(r -> r.bucket(bucket).prefix(key)).uploads();
        for (MultipartUpload upload : open) {
            if (upload.key().equals(key)) {
                LOG.info("aborting an unfinished copy of an earlier attempt");
                abort(s3, bucket, key, upload.uploadId());
            }
        }
    }

    private static void abort(S3Client s3, String bucket, String key, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // already gone
        }
    }
}
