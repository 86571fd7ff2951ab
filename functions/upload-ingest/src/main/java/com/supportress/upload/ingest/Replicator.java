package com.supportress.upload.ingest;

import com.supportress.upload.store.CopyCheckpoint;
import com.supportress.upload.store.S3Checksums;
import com.supportress.upload.store.UploadRecord;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.util.Map;
import java.util.Optional;

/**
 * Keeps a verified copy in the replica bucket of the second region. The copy is server-side; it counts only when
 * its size and the SHA-256 S3 computed while writing it (whole, or composite over the same parts as the source)
 * equal the checksum the client declared and S3 verified at upload. No byte passes through the function.
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

    /**
     * Copies the checked version unless an identical verified replica is already there (a repeated event, or a
     * crash after the copy), resuming from the checkpoint; verifies when the copy is complete.
     */
    public ServerSideCopy.Result replicate(UploadRecord upload, ServerSideCopy.Source source, String checksum,
                                           Optional<CopyCheckpoint> checkpoint, ServerSideCopy.Checkpoints checkpoints,
                                           InvocationBudget budget) {
        if (verified(source, checksum)) {
            LOG.info("replica already present and verified");
            return new ServerSideCopy.Result.Finished(0, 0);
        }
        ServerSideCopy.Destination destination = new ServerSideCopy.Destination(replica.s3(), replica.bucket(), source.key(),
                upload.contentType(), Map.of(), CopyCheckpoint.Target.REPLICA);
        ServerSideCopy.Result result = copier.copy(source, destination, CopyLayout.of(upload, source.size()), checkpoint, checkpoints, budget);
        if (result instanceof ServerSideCopy.Result.Finished && !verified(source, checksum)) {
            HeadObjectResponse found = head(source.key()).orElse(null);
            throw new IllegalStateException("replica of " + source.key() + " does not match the source: expected "
                    + source.size() + " bytes, SHA-256 " + checksum + "; replica has "
                    + (found == null ? "nothing" : found.contentLength() + " bytes, SHA-256 " + found.checksumSHA256()));
        }
        return result;
    }

    private boolean verified(ServerSideCopy.Source source, String checksum) {
        Optional<HeadObjectResponse> head = head(source.key());
        return head.isPresent() && head.get().contentLength() == source.size() && S3Checksums.same(checksum, head.get().checksumSHA256());
    }

    private Optional<HeadObjectResponse> head(String key) {
        return S3Objects.head(replica.s3(), HeadObjectRequest.builder().bucket(replica.bucket()).key(key)
                .expectedBucketOwner(replica.owner()).checksumMode(ChecksumMode.ENABLED).build());
    }
}
