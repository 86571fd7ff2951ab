package com.supportress.backup;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Copies one object inside S3, across regions too, with S3 computing a SHA-256 of what it writes: the
 * bytes never pass through the function, whatever their size. One CopyObject up to the configured
 * threshold (S3 copies at most 5 GiB at once), else UploadPartCopy with parts copied in parallel. The
 * client is the destination region's; every request names the account expected to own both buckets.
 */
final class ObjectCopier {

    /** Where one object is and where it goes. */
    record Copy(String sourceBucket, String sourceKey, long bytes, String destinationBucket, String destinationKey) {
    }

    private final BackupConfig config;

    ObjectCopier(BackupConfig config) {
        this.config = config;
    }

    /** The part size the copy of a file of this size uses, 0 for a single CopyObject; the checksum S3 reports depends on it. */
    long partSize(long bytes) {
        return config.copiesInParts(bytes) ? config.partSize(bytes) : 0;
    }

    void copy(S3Client s3, Copy copy) {
        String owner = config.bucketOwner();
        if (!config.copiesInParts(copy.bytes())) {
            s3.copyObject(r -> r.sourceBucket(copy.sourceBucket()).sourceKey(copy.sourceKey())
                    .destinationBucket(copy.destinationBucket()).destinationKey(copy.destinationKey())
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256).expectedBucketOwner(owner).expectedSourceBucketOwner(owner));
            return;
        }
        abortStaleCopies(s3, copy);
        long partSize = config.partSize(copy.bytes());
        String uploadId = s3.createMultipartUpload(r -> r.bucket(copy.destinationBucket()).key(copy.destinationKey())
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).expectedBucketOwner(owner)).uploadId();
        try (ExecutorService parts = Executors.newFixedThreadPool(config.copyParallelism())) {
            List<Future<CompletedPart>> copied = new ArrayList<>();
            int partNumber = 1;
            for (long start = 0; start < copy.bytes(); start += partSize, partNumber++) {
                String range = "bytes=" + start + "-" + (Math.min(start + partSize, copy.bytes()) - 1);
                int number = partNumber;
                copied.add(parts.submit(() -> {
                    UploadPartCopyResponse part = s3.uploadPartCopy(r -> r.sourceBucket(copy.sourceBucket()).sourceKey(copy.sourceKey())
                            .copySourceRange(range).destinationBucket(copy.destinationBucket()).destinationKey(copy.destinationKey())
                            .uploadId(uploadId).partNumber(number).expectedBucketOwner(owner).expectedSourceBucketOwner(owner));
                    return CompletedPart.builder().partNumber(number).eTag(part.copyPartResult().eTag())
                            .checksumSHA256(part.copyPartResult().checksumSHA256()).build();
                }));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> part : copied) {
                completed.add(part.get());
            }
            completed.sort(Comparator.comparing(CompletedPart::partNumber));
            s3.completeMultipartUpload(r -> r.bucket(copy.destinationBucket()).key(copy.destinationKey()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)).expectedBucketOwner(owner));
        } catch (ExecutionException e) {
            abort(s3, copy, uploadId);
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("copying " + copy.sourceKey() + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            abort(s3, copy, uploadId);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying " + copy.sourceKey(), e);
        } catch (RuntimeException e) {
            abort(s3, copy, uploadId);
            throw e;
        }
    }

    /** A copy cut short (a finisher killed or out of time) leaves a multipart upload open; the retry starts clean. */
    private void abortStaleCopies(S3Client s3, Copy copy) {
        List<MultipartUpload> open = s3.listMultipartUploads(r -> r.bucket(copy.destinationBucket()).prefix(copy.destinationKey())
                .expectedBucketOwner(config.bucketOwner())).uploads();
        for (MultipartUpload upload : open) {
            if (upload.key().equals(copy.destinationKey())) {
                abort(s3, copy, upload.uploadId());
            }
        }
    }

    private void abort(S3Client s3, Copy copy, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(copy.destinationBucket()).key(copy.destinationKey()).uploadId(uploadId)
                    .expectedBucketOwner(config.bucketOwner()));
        } catch (NoSuchUploadException e) {
            // already gone
        } catch (RuntimeException e) {
            // Best effort: the copy failed anyway, and the bucket's lifecycle rule removes parts an abort could not reach.
        }
    }
}
