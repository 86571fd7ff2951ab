package com.supportress.upload.ingest;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.util.Map;
import java.util.Optional;

/**
 * Keeps a verified copy in the replica bucket of the second region. The copy is server-side; it counts
 * only when its size and the SHA-256 S3 computed while writing it (whole, or composite over the parts)
 * match what the ingest function computed from the source.
 */
@Singleton
public class Replicator {

    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

    private final ReplicaBucket replica;
    private final ServerSideCopy copier;

    public Replicator(ReplicaBucket replica, ServerSideCopy copier) {
        this.replica = replica;
        this.copier = copier;
    }

    public String region() {
        return replica.region();
    }

    /** The part size of the copy, which the source digest must use to predict S3's composite checksum; 0 for one CopyObject. */
    public long digestPartSize(long size) {
        return copier.isMultipart(size) ? copier.partSize(size) : 0;
    }

    /** Copies unless an identical verified replica is already there (a repeated event), then verifies. */
    public void replicate(ServerSideCopy.Source source, ObjectDigest digest) {
        if (verified(source, digest)) {
            LOG.info("replica already present and verified");
            return;
        }
        copier.copy(replica.s3(), source, replica.bucket(), source.key(), Map.of());
        if (!verified(source, digest)) {
            HeadObjectResponse found = head(source.key()).orElse(null);
            throw new IllegalStateException("replica of " + source.key() + " does not match the source: expected "
                    + source.size() + " bytes, SHA-256 " + expectedChecksum(source, digest) + "; replica has "
                    + (found == null ? "nothing" : found.contentLength() + " bytes, SHA-256 " + found.checksumSHA256()));
        }
    }

    private boolean verified(ServerSideCopy.Source source, ObjectDigest digest) {
        Optional<HeadObjectResponse> head = head(source.key());
        return head.isPresent() && head.get().contentLength() == source.size()
                && sameChecksum(expectedChecksum(source, digest), head.get().checksumSHA256());
    }

    /** S3 reports a whole-object SHA-256 for a CopyObject, and a SHA-256 of the part digests plus "-N" for N parts. */
    private String expectedChecksum(ServerSideCopy.Source source, ObjectDigest digest) {
        return copier.isMultipart(source.size()) ? digest.composite() : digest.sha256();
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
        return S3Objects.head(replica.s3(), HeadObjectRequest.builder()
                .bucket(replica.bucket()).key(key).checksumMode(ChecksumMode.ENABLED).build());
    }
}
