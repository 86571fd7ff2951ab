package com.supportress.upload.ingest;

import com.supportress.upload.store.CopyCheckpoint;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Copies one object version inside S3, to the replica bucket or to the quarantine prefix: the bytes never pass
 * through the function. One CopyObject, or UploadPartCopy calls run {@code COPY_CONCURRENCY} at a time, every
 * destination asked for SHA-256 checksums so S3 computes them as it writes. A multipart copy is resumable: its
 * checkpoint (S3's upload id) is saved as soon as it exists, parts are started only while the invocation's budget
 * allows them to finish, and whatever is left is reported back as {@link Result.Paused} for the next invocation.
 * The caller holds the upload's lease, so no one else copies (or aborts) this object meanwhile.
 */
@Singleton
public class ServerSideCopy {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSideCopy.class);

    /** One version of an object to copy. */
    public record Source(String bucket, String key, String versionId, long size) {
    }

    /** Where to: the client of the destination's region, bucket and key, what the copy carries, and which copy it is. */
    public record Destination(S3Client s3, String bucket, String key, String contentType, Map<String, String> metadata,
                              CopyCheckpoint.Target target) {
    }

    /** How a copy call ended. */
    public sealed interface Result {
        /** The destination object exists; {@code partsResumed} parts came from earlier invocations. */
        record Finished(int partsCopied, int partsResumed) implements Result {
        }

        /** The budget ran out; the checkpoint on the record says where to go on. */
        record Paused(int partsDone, int partCount) implements Result {
        }
    }

    /** Saves the checkpoint on the upload record; false when the caller's lease is gone (then it must stop). */
    @FunctionalInterface
    public interface Checkpoints {
        boolean save(CopyCheckpoint checkpoint);
    }

    /** Thrown when the lease was lost mid-copy: someone else owns the object now, so this worker stops touching it. */
    static final class LeaseLostException extends IllegalStateException {
        LeaseLostException() {
            super("the upload's lease passed to another worker; leaving the copy to it");
        }
    }

    private final IngestConfig config;
    private final Clock clock;

    public ServerSideCopy(IngestConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public Result copy(Source source, Destination destination, CopyLayout layout, Optional<CopyCheckpoint> checkpoint,
                       Checkpoints checkpoints, InvocationBudget budget) {
        if (!layout.multipart()) {
            if (!budget.allows(Duration.ZERO)) {
                return new Result.Paused(0, 1);
            }
            copyObject(source, destination);
            return new Result.Finished(1, 0);
        }
        // A checkpoint of another copy (the other target, an older source version) is this worker's to discard.
        Optional<CopyCheckpoint> resumable = checkpoint.filter(c -> c.target() == destination.target()
                && c.sourceVersionId().equals(source.versionId()));
        Map<Integer, CompletedPart> done = new TreeMap<>();
        String uploadId = resumable.flatMap(c -> listParts(destination, c.multipartUploadId(), layout, done)).orElse(null);
        abortOtherCopies(destination, uploadId);
        int resumed = done.size();
        if (uploadId == null) {
            uploadId = destination.s3().createMultipartUpload(r -> r.bucket(destination.bucket()).key(destination.key())
                    .expectedBucketOwner(config.expectedBucketOwner()).contentType(destination.contentType())
                    .metadata(destination.metadata()).checksumAlgorithm(ChecksumAlgorithm.SHA256)
                    .checksumType(ChecksumType.COMPOSITE)).uploadId();
            save(checkpoints, destination, source, uploadId, 0);
        } else {
            LOG.info("resuming a copy with {} of {} parts done", resumed, layout.partCount());
        }
        List<Integer> todo = new ArrayList<>();
        for (int part = 1; part <= layout.partCount(); part++) {
            if (!done.containsKey(part)) {
                todo.add(part);
            }
        }
        RuntimeException failure = copyParts(source, destination, uploadId, layout, todo, budget, done);
        if (failure != null || done.size() < layout.partCount()) {
            save(checkpoints, destination, source, uploadId, done.size());
            if (failure != null) {
                throw failure;
            }
            LOG.info("copy paused with {} of {} parts done; the next invocation goes on", done.size(), layout.partCount());
            return new Result.Paused(done.size(), layout.partCount());
        }
        String id = uploadId;
        destination.s3().completeMultipartUpload(r -> r.bucket(destination.bucket()).key(destination.key()).uploadId(id)
                .expectedBucketOwner(config.expectedBucketOwner()).multipartUpload(m -> m.parts(done.values())));
        LOG.info("copied in {} parts, {} of them in earlier invocations", layout.partCount(), resumed);
        return new Result.Finished(layout.partCount() - resumed, resumed);
    }

    /** Aborts an unfinished multipart copy that will not be resumed (the caller holds the lease: it is nobody's). */
    public void abort(Destination destination, String uploadId) {
        try {
            destination.s3().abortMultipartUpload(r -> r.bucket(destination.bucket()).key(destination.key()).uploadId(uploadId)
                    .expectedBucketOwner(config.expectedBucketOwner()));
        } catch (NoSuchUploadException e) {
            // already gone
        }
    }

    private void copyObject(Source source, Destination destination) {
        destination.s3().copyObject(r -> r.sourceBucket(source.bucket()).sourceKey(source.key()).sourceVersionId(source.versionId())
                .destinationBucket(destination.bucket()).destinationKey(destination.key())
                .expectedBucketOwner(config.expectedBucketOwner()).expectedSourceBucketOwner(config.expectedBucketOwner())
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                .metadataDirective(destination.metadata().isEmpty() ? MetadataDirective.COPY : MetadataDirective.REPLACE)
                .contentType(destination.metadata().isEmpty() ? null : destination.contentType())
                .metadata(destination.metadata().isEmpty() ? null : destination.metadata()));
    }

    /**
     * Starts parts while the budget allows the slowest part so far to finish before the margin; never more than
     * COPY_CONCURRENCY at once. Returns the first failure after every started part has ended (their results kept).
     */
    private RuntimeException copyParts(Source source, Destination destination, String uploadId, CopyLayout layout,
                                       List<Integer> todo, InvocationBudget budget, Map<Integer, CompletedPart> done) {
        RuntimeException failure = null;
        Duration slowest = Duration.ZERO;
        try (ExecutorService pool = Executors.newFixedThreadPool(config.copyConcurrency(), Thread.ofPlatform().name("part-copy-", 1).daemon().factory())) {
            CompletionService<CopiedPart> copies = new ExecutorCompletionService<>(pool);
            int next = 0;
            int running = 0;
            while (true) {
                while (failure == null && running < config.copyConcurrency() && next < todo.size() && budget.allows(slowest)) {
                    int part = todo.get(next++);
                    copies.submit(() -> copyPart(source, destination, uploadId, layout, part));
                    running++;
                }
                if (running == 0) {
                    return failure;
                }
                try {
                    CopiedPart copied = copies.take().get();
                    done.put(copied.part().partNumber(), copied.part());
                    slowest = copied.took().compareTo(slowest) > 0 ? copied.took() : slowest;
                } catch (ExecutionException e) {
                    failure = failure != null ? failure
                            : e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = failure != null ? failure : new IllegalStateException("interrupted while copying parts", e);
                }
                running--;
            }
        }
    }

    private record CopiedPart(CompletedPart part, Duration took) {
    }

    private CopiedPart copyPart(Source source, Destination destination, String uploadId, CopyLayout layout, int partNumber) {
        Instant started = clock.instant();
        UploadPartCopyResponse copied = destination.s3().uploadPartCopy(r -> r.sourceBucket(source.bucket())
                .sourceKey(source.key()).sourceVersionId(source.versionId()).copySourceRange(layout.range(partNumber))
                .destinationBucket(destination.bucket()).destinationKey(destination.key()).uploadId(uploadId).partNumber(partNumber)
                .expectedBucketOwner(config.expectedBucketOwner()).expectedSourceBucketOwner(config.expectedBucketOwner()));
        CompletedPart part = CompletedPart.builder().partNumber(partNumber).eTag(copied.copyPartResult().eTag())
                .checksumSHA256(copied.copyPartResult().checksumSHA256()).build();
        return new CopiedPart(part, Duration.between(started, clock.instant()));
    }

    /**
     * The parts S3 already holds for the checkpointed copy, into {@code done}; empty when S3 no longer has that
     * upload (aborted by the bucket's lifecycle rule, say), so the copy starts over. A listed part of an unexpected
     * size is left out and copied again.
     */
    private Optional<String> listParts(Destination destination, String uploadId, CopyLayout layout, Map<Integer, CompletedPart> done) {
        try {
            destination.s3().listPartsPaginator(r -> r.bucket(destination.bucket()).key(destination.key()).uploadId(uploadId)
                    .expectedBucketOwner(config.expectedBucketOwner())).parts().forEach(part -> {
                        if (part.partNumber() <= layout.partCount() && part.size() == layout.length(part.partNumber())) {
                            done.put(part.partNumber(), CompletedPart.builder().partNumber(part.partNumber()).eTag(part.eTag())
                                    .checksumSHA256(part.checksumSHA256()).build());
                        }
                    });
            return Optional.of(uploadId);
        } catch (NoSuchUploadException e) {
            done.clear();
            return Optional.empty();
        }
    }

    /** Multipart uploads at the destination key other than the one being resumed: left by a crash before its checkpoint. */
    private void abortOtherCopies(Destination destination, String keep) {
        List<MultipartUpload> open = destination.s3().listMultipartUploads(r -> r.bucket(destination.bucket()).prefix(destination.key())
                .expectedBucketOwner(config.expectedBucketOwner())).uploads();
        for (MultipartUpload upload : open) {
            if (upload.key().equals(destination.key()) && !upload.uploadId().equals(keep)) {
                LOG.info("aborting an unfinished copy nobody will resume");
                abort(destination, upload.uploadId());
            }
        }
    }

    private void save(Checkpoints checkpoints, Destination destination, Source source, String uploadId, int partsDone) {
        if (!checkpoints.save(new CopyCheckpoint(destination.target(), source.versionId(), uploadId, partsDone, clock.instant()))) {
            throw new LeaseLostException();
        }
    }
}
