package com.supportress.upload.ingest;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Server-side copies into the replica bucket of the second region: the bytes move inside S3, never
 * through the function. S3 computes a SHA-256 of the copy (whole, or per part and composite for a
 * multipart copy); the copy counts only when that and the size match what was computed from the source.
 */
@Singleton
public class Replicator {

    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

    private final ReplicaBucket replica;
    private final IngestConfig config;

    public Replicator(ReplicaBucket replica, IngestConfig config) {
        this.replica = replica;
        this.config = config;
    }

    /** What the replica must hold: the source, its size and the checksum S3 will report for the copy. */
    public record Source(String bucket, String key, String versionId, long size, ObjectDigest digest) {
    }

    public boolean isMultipart(long size) {
        return size > config.copyMultipartThresholdBytes();
    }

    public long partSize(long size) {
        return config.copyPartSize(size);
    }

    public String region() {
        return replica.region();
    }

    /** Copies unless an identical verified replica is already there (a repeated event), then verifies. */
    public void replicate(Source source) {
        if (verified(source)) {
            LOG.info("replica already present and verified");
            return;
        }
        if (isMultipart(source.size())) {
            copyInParts(source);
        } else {
            replica.s3().copyObject(r -> r.sourceBucket(source.bucket()).sourceKey(source.key()).sourceVersionId(source.versionId())
                    .destinationBucket(replica.bucket()).destinationKey(source.key())
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256));
        }
        if (!verified(source)) {
            HeadObjectResponse replicaHead = head(source.key()).orElse(null);
            throw new IllegalStateException("replica of " + source.key() + " does not match the source: expected "
                    + source.size() + " bytes, SHA-256 " + expectedChecksum(source) + "; replica has "
                    + (replicaHead == null ? "nothing" : replicaHead.contentLength() + " bytes, SHA-256 " + replicaHead.checksumSHA256()));
        }
    }

    private void copyInParts(Source source) {
        abortStaleCopies(source.key());
        long partSize = partSize(source.size());
        String uploadId = replica.s3().createMultipartUpload(r -> r.bucket(replica.bucket()).key(source.key())
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (long start = 0; start < source.size(); start += partSize, partNumber++) {
                String range = "bytes=" + start + "-" + (Math.min(start + partSize, source.size()) - 1);
                int number = partNumber;
                UploadPartCopyResponse copied = replica.s3().uploadPartCopy(r -> r.sourceBucket(source.bucket())
                        .sourceKey(source.key()).sourceVersionId(source.versionId()).copySourceRange(range)
                        .destinationBucket(replica.bucket()).destinationKey(source.key()).uploadId(uploadId).partNumber(number));
                parts.add(CompletedPart.builder().partNumber(number).eTag(copied.copyPartResult().eTag())
                        .checksumSHA256(copied.copyPartResult().checksumSHA256()).build());
            }
            replica.s3().completeMultipartUpload(r -> r.bucket(replica.bucket()).key(source.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            LOG.info("replica copied in {} parts", parts.size());
        } catch (RuntimeException e) {
            abort(source.key(), uploadId);
            throw e;
        }
    }

    /** A copy cut short (a crash, a timeout) leaves a multipart upload open; the retry starts clean. */
    private void abortStaleCopies(String key) {
        List<MultipartUpload> stale = replica.s3().listMultipartUploads(r -> r.bucket(replica.bucket()).prefix(key)).uploads();
        for (MultipartUpload upload : stale) {
            if (upload.key().equals(key)) {
                LOG.info("aborting an unfinished copy of an earlier attempt");
                abort(key, upload.uploadId());
            }
        }
    }

    private void abort(String key, String uploadId) {
        try {
            replica.s3().abortMultipartUpload(r -> r.bucket(replica.bucket()).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // already gone
        }
    }

    private boolean verified(Source source) {
        Optional<HeadObjectResponse> head = head(source.key());
        if (head.isEmpty() || head.get().contentLength() != source.size()) {
            return false;
        }
        return sameChecksum(expectedChecksum(source), head.get().checksumSHA256());
    }

    /** S3 reports a whole-object SHA-256 for a CopyObject, and a SHA-256 of the part digests plus "-N" for N parts. */
    private String expectedChecksum(Source source) {
        return isMultipart(source.size()) ? source.digest().composite() : source.digest().sha256();
    }

    /** AWS shows a composite checksum with its "-N" suffix, some emulators without: the digest must match, and N if shown. */
    static boolean sameChecksum(String expected, String actual) {
        if (actual == null) {
            return false;
        }
        String[] wanted = expected.split("-", 2);
        String[] found = actual.split("-", 2);
        return wanted[0].equals(found[0]) && (found.length == 1 || wanted.length == 2 && wanted[1].equals(found[1]));
    }

    private Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(replica.s3().headObject(r -> r.bucket(replica.bucket()).key(key).checksumMode(ChecksumMode.ENABLED)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
