package com.supportress.upload.ingest;

import com.supportress.upload.store.CopyCheckpoint;
import com.supportress.upload.store.UploadKeys;
import com.supportress.upload.store.UploadRecord;
import com.supportress.upload.store.UploadStatus;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the live key of a finished upload as its record says. Once an upload is replicated, only the verified
 * version may sit at its key; once quarantined or failed, only the closing marker. Anything else that appears
 * there (a second PUT through a still-valid URL in the moment the key was empty, a write by someone with direct
 * access) was never checked: it is copied aside to the quarantine prefix with the reason (dropped, for a failed
 * upload, whose client gave up on it) and deleted, so the record never claims a state the bucket contradicts.
 */
@Singleton
public class FinishedUploads {

    private static final Logger LOG = LoggerFactory.getLogger(FinishedUploads.class);

    private final UploadObjects objects;
    private final ServerSideCopy copier;

    public FinishedUploads(UploadObjects objects, ServerSideCopy copier) {
        this.objects = objects;
        this.copier = copier;
    }

    /** Removes whatever does not belong at the key of this finished upload; CONTINUED when a copy aside must go on. */
    public IngestService.Outcome closeOut(UploadRecord upload, Optional<CopyCheckpoint> checkpoint,
                                          ServerSideCopy.Checkpoints checkpoints, InvocationBudget budget) {
        String key = upload.objectKey();
        Optional<String> keep = upload.status() == UploadStatus.REPLICATED ? upload.objectVersionId() : Optional.empty();
        if (upload.status() == UploadStatus.REPLICATED && keep.isEmpty()) {
            LOG.warn("replicated upload without a recorded version; leaving its key as it is");
            return IngestService.Outcome.ALREADY_DONE;
        }
        if (upload.status() != UploadStatus.REPLICATED) {
            objects.close(key, upload.status().wireName());
        }
        List<UploadObjects.Version> unexpected = objects.versions(key).stream()
                .filter(version -> keep.map(id -> !id.equals(version.versionId())).orElse(version.size() > 0))
                .toList();
        for (UploadObjects.Version version : unexpected) {
            if (upload.status() != UploadStatus.FAILED && !version.deleteMarker() && version.size() > 0) {
                String reason = "written after the upload was " + upload.status().wireName() + "; never checked";
                if (moveAside(upload, key, version.versionId(), version.size(), reason, checkpoint, checkpoints, budget)
                        instanceof ServerSideCopy.Result.Paused) {
                    return IngestService.Outcome.CONTINUED;
                }
            }
            objects.deleteVersion(key, version.versionId());
        }
        if (!unexpected.isEmpty()) {
            LOG.warn("removed {} object versions written at the key after the upload was {}", unexpected.size(), upload.status().wireName());
        }
        return IngestService.Outcome.ALREADY_DONE;
    }

    /** Deletes every version at the key but the closing marker and, if given, the one to keep. */
    public void removeAllBut(String key, Optional<String> keep) {
        for (UploadObjects.Version version : objects.versions(key)) {
            if (version.size() > 0 && keep.map(id -> !id.equals(version.versionId())).orElse(true)) {
                objects.deleteVersion(key, version.versionId());
            }
        }
    }

    /** Copies one version to the upload's quarantine key, the reason in its metadata; resumable like any copy. */
    public ServerSideCopy.Result moveAside(UploadRecord upload, String key, String versionId, long size, String reason,
                                           Optional<CopyCheckpoint> checkpoint, ServerSideCopy.Checkpoints checkpoints,
                                           InvocationBudget budget) {
        ServerSideCopy.Source source = new ServerSideCopy.Source(objects.bucket(), key, versionId, size);
        return copier.copy(source, quarantineDestination(objects, key, upload.contentType(), Map.of(IngestService.QUARANTINE_REASON, reason)),
                CopyLayout.of(upload, size), checkpoint, checkpoints, budget);
    }

    static ServerSideCopy.Destination quarantineDestination(UploadObjects objects, String key, String contentType, Map<String, String> metadata) {
        String target = UploadKeys.quarantineKeyOf(key);
        return new ServerSideCopy.Destination(objects.s3(), objects.bucket(), target, contentType, metadata, CopyCheckpoint.Target.QUARANTINE);
    }
}
